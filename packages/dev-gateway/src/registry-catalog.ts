import type { ServerResponse } from 'node:http';
import type { ServerRegistry } from './registry';

/** The namespace of the dev gateway's servers in its registry catalog (names are `dev.sark/<server>`). */
const NAMESPACE = 'dev.sark';
const VERSION = '1.0.0';
/** Page size when none is asked for, and the most one page holds. */
const DEFAULT_LIMIT = 30;
const MAX_LIMIT = 100;

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(payload.length) });
  res.end(payload);
}

/**
 * The official MCP Registry's v0.1 read API (WIRE.md §6) over the gateway's MCP servers, each a `dev.sark/<server>`
 * entry whose one remote is its Streamable HTTP endpoint (`remoteUrl`): `GET /v0.1/servers?cursor&limit&search`,
 * `/v0.1/servers/{name}/versions`, `/v0.1/servers/{name}/versions/{version|latest}`. Anonymous, as the registry's
 * reads are. Returns false when `path` is not one of these.
 */
export function serveRegistryCatalog(
  path: string,
  query: URLSearchParams,
  res: ServerResponse,
  registry: ServerRegistry,
  remoteUrl: (server: string) => string,
): boolean {
  if (path !== '/v0.1/servers' && !path.startsWith('/v0.1/servers/')) return false;
  const names = registry
    .list()
    .filter((server) => registry.mcpServer(server.server_name) !== null)
    .map((server) => server.server_name)
    .sort();
  const entry = (name: string) => ({
    server: {
      name: `${NAMESPACE}/${name}`,
      description: `${name}, behind the SARK dev gateway`,
      version: VERSION,
      remotes: [{ type: 'streamable-http', url: remoteUrl(name) }],
    },
    _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active', isLatest: true } },
  });
  if (path === '/v0.1/servers') {
    const search = (query.get('search') ?? '').toLowerCase();
    const matching = names.filter((name) => `${NAMESPACE}/${name}`.toLowerCase().includes(search));
    const limit = Number(query.get('limit') ?? DEFAULT_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      send(res, 400, { title: 'Bad Request', detail: `limit must be an integer from 1 to ${MAX_LIMIT}` });
      return true;
    }
    const cursor = query.get('cursor');
    const start = cursor === null ? 0 : matching.findIndex((name) => `${NAMESPACE}/${name}` > cursor);
    const page = start === -1 ? [] : matching.slice(start, start + limit);
    const last = page.at(-1);
    const more = last !== undefined && matching.indexOf(last) < matching.length - 1;
    send(res, 200, {
      servers: page.map(entry),
      metadata: { count: page.length, ...(more ? { nextCursor: `${NAMESPACE}/${last}` } : {}) },
    });
    return true;
  }
  const match = /^\/v0\.1\/servers\/([^/]+)\/versions(?:\/([^/]+))?$/.exec(path);
  const name = match ? decodeURIComponent(match[1] as string) : '';
  const server = name.startsWith(`${NAMESPACE}/`) ? name.slice(NAMESPACE.length + 1) : '';
  if (!match || !names.includes(server)) {
    send(res, 404, { title: 'Not Found', detail: `Server not found: ${name.slice(0, 200)}` });
    return true;
  }
  const version = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  if (version === undefined) send(res, 200, { servers: [entry(server)], metadata: { count: 1 } });
  else if (version === 'latest' || version === VERSION) send(res, 200, entry(server));
  else send(res, 404, { title: 'Not Found', detail: `Version not found: ${version.slice(0, 100)}` });
  return true;
}
