import type { ServerResponse } from 'node:http';
import type { ServerRegistry, WireServer } from './registry';

/** The registry's page bounds (`limit` outside them is a 422, as FastAPI answers). */
const MIN_LIMIT = 1;
const MAX_LIMIT = 2000;
const DEFAULT_LIMIT = 20;

/** The version `/api/version` reports: the registry API this mode was modelled on (WIRE.md §6). */
export const REGISTRY_API_VERSION = '1.31.0';

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(payload.length) });
  res.end(payload);
}

/** What the registry's web UI answers for every path it does not know: its page, `200 text/html`. */
export function sendWebUi(res: ServerResponse): void {
  const page = Buffer.from('<!doctype html><html><head><title>MCP Gateway Registry</title></head><body></body></html>');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(page.length) });
  res.end(page);
}

/** Who the caller is, as `/api/auth/me` tells it. */
export interface RegistryCaller {
  readonly username: string;
  readonly authMethod: string;
  readonly scopes: readonly string[];
}

/**
 * The MCP Gateway Registry's REST catalog (WIRE.md §6) over the dev gateway's servers, each at the path
 * `/<server>`: `GET /api/servers` (paged: `limit` 1–2000, `offset`, `has_next`, `total_count`), `/api/servers/{path}`,
 * `/api/servers/tools/{path}`, `/api/tool-catalog`, `/api/auth/me`. The caller is already authenticated. Returns
 * false when `path` is none of these.
 */
export function serveRegistryApi(
  method: string,
  path: string,
  query: URLSearchParams,
  res: ServerResponse,
  registry: ServerRegistry,
  caller: RegistryCaller,
): boolean {
  if (method !== 'GET') return false;
  if (path === '/api/servers') {
    const limit = query.has('limit') ? Number(query.get('limit')) : DEFAULT_LIMIT;
    const offset = query.has('offset') ? Number(query.get('offset')) : 0;
    if (!Number.isInteger(limit) || limit < MIN_LIMIT || limit > MAX_LIMIT || !Number.isInteger(offset) || offset < 0) {
      send(res, 422, {
        detail: [{ loc: ['query', 'limit'], msg: `limit must be ${MIN_LIMIT}–${MAX_LIMIT}, offset ≥ 0` }],
      });
      return true;
    }
    const search = (query.get('query') ?? '').toLowerCase();
    const all = registry.list().filter((server) => server.server_name.toLowerCase().includes(search));
    const withTools = query.get('include_tools') === 'true';
    const servers = all.slice(offset, offset + limit).map((server) => document(server, registry, withTools));
    send(res, 200, { servers, total_count: all.length, limit, offset, has_next: offset + limit < all.length });
    return true;
  }
  if (path === '/api/tool-catalog') {
    const only = query.get('server_path');
    const servers = registry.list().filter((server) => only === null || `/${server.server_name}` === only);
    const tools = servers.flatMap((server) =>
      registry.tools(server.server_name).map((tool) => ({
        tool_name: tool.tool_name,
        server_path: `/${server.server_name}`,
        server_name: server.server_name,
        description: tool.description,
        input_schema: registry.inputSchema(server.server_name, tool.tool_name) ?? { type: 'object' },
      })),
    );
    send(res, 200, { tools, total_count: tools.length, server_count: servers.length });
    return true;
  }
  if (path === '/api/auth/me') {
    send(res, 200, {
      username: caller.username,
      auth_method: caller.authMethod,
      scopes: caller.scopes,
      groups: ['developers'],
      is_admin: false,
      accessible_servers: registry.list().map((server) => server.server_name),
    });
    return true;
  }
  const toolsMatch = /^\/api\/servers\/tools\/([^/]+)$/.exec(path);
  const serverMatch = /^\/api\/servers\/([^/]+)$/.exec(path);
  const name = decodeURIComponent((toolsMatch ?? serverMatch)?.[1] ?? '');
  if (name === '') return false;
  const server = registry.get(name);
  if (!server) {
    send(res, 404, { detail: `Server /${name} not found` });
    return true;
  }
  if (serverMatch) {
    send(res, 200, document(server, registry, false));
    return true;
  }
  if (registry.mcpServer(name) === null && server.server_url.startsWith('stdio:')) {
    send(res, 503, { detail: `Server /${name} is unreachable and has no cached tools` });
    return true;
  }
  send(res, 200, {
    service_path: `/${name}`,
    tools: registry.tools(name).map((tool) => ({
      name: tool.tool_name,
      description: tool.description,
      schema: registry.inputSchema(name, tool.tool_name) ?? { type: 'object' },
    })),
    cached: false,
  });
  return true;
}

/** One server as the registry describes it. */
function document(server: WireServer, registry: ServerRegistry, withTools: boolean): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    path: `/${server.server_name}`,
    display_name: server.server_name,
    description: `${server.server_name}, behind the SARK dev gateway`,
    tags: [server.sensitivity_level],
    num_tools: server.tools_count,
    is_enabled: true,
    health_status: server.health_status,
  };
  if (withTools) doc['tools'] = registry.tools(server.server_name).map((tool) => ({ name: tool.tool_name }));
  return doc;
}
