import { clampTimerMs } from '@sark/core/internal';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DevGatewayConfig, FaultConfig } from './config';
import type { AuthorizationServer } from './authorization-server';
import { handleCors } from './cors';
import type { EventHub } from './event-hub';
import { decideFault } from './faults';
import { IdempotencyStore, type StoredAnswer } from './idempotency';
import { McpEndpoint } from './mcp-endpoint';
import { InvocationError, type ServerRegistry } from './registry';
import { serveRegistryCatalog } from './registry-catalog';
import { AggregateBackend } from './aggregate-backend';
import { REGISTRY_API_VERSION, sendWebUi, serveRegistryApi, type RegistryCaller } from './gateway-registry-api';
import { serveEvents, type StreamScope } from './sse-endpoint';

const MAX_LIMIT = 1000;
/** The name the aggregated `/mcp` endpoint's sessions are kept under (no server is named so). */
const AGGREGATE = '(every server)';
const MAX_BODY_BYTES = 1024 * 1024;

/** Requests served, by route (for tests and the demo). */
export type RequestCounts = Map<string, number>;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers });
  res.end(payload);
}

/**
 * Waits `ms` for a request's injected latency; resolves false at once when the connection goes first (the client gave
 * up, or the gateway is closing), so no timer outlives its connection.
 */
function pause(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, clampTimerMs(ms));
    res.once('close', onClose);
  });
}

function page<T>(items: readonly T[], query: URLSearchParams): { items: T[]; total: number } {
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(query.get('limit') ?? 100) || 100));
  return { items: items.slice(offset, offset + limit), total: items.length };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** What the OAuth mode needs: the authorization server, and the gateway's URL (known once it listens). */
export interface OAuthGuard {
  readonly authorizationServer: AuthorizationServer;
  readonly gatewayUrl: () => string;
}

/** The gateway's HTTP contract (WIRE.md §1–2) over a registry and an event hub. */
export function createGatewayServer(
  config: DevGatewayConfig,
  registry: ServerRegistry,
  hub: EventHub,
  faults: { current: FaultConfig },
  counts: RequestCounts,
  oauth: OAuthGuard | null = null,
  gatewayUrl: () => string = () => '',
  mcp: McpEndpoint = new McpEndpoint(),
): Server {
  const idempotency = new IdempotencyStore();
  const aggregate = new AggregateBackend(registry);
  const remoteUrl =
    config.dialect === 'mcp-gateway-registry'
      ? (name: string) => `${gatewayUrl()}/${encodeURIComponent(name)}/mcp`
      : (name: string) => `${gatewayUrl()}/mcp/${encodeURIComponent(name)}`;

  /**
   * The caller of a registry-mode request, from a bearer token in `header`: the API key (the registry's static key),
   * a token of the OAuth mode's authorization server for the gateway, or anyone when neither is configured. `null`
   * after a `401` that says where to get a token.
   */
  async function registryCaller(
    res: ServerResponse,
    header: string | string[] | undefined,
  ): Promise<RegistryCaller | null> {
    if (config.apiKey === undefined && !oauth) return { username: 'anonymous', authMethod: 'none', scopes: [] };
    const token = /^Bearer ([\x21-\x7E]+)$/i.exec(typeof header === 'string' ? header : '')?.[1];
    if (token !== undefined && token === config.apiKey) {
      return { username: 'api-key', authMethod: 'static_api_key', scopes: [] };
    }
    if (token !== undefined && oauth) {
      const check = await oauth.authorizationServer.check(token, oauth.gatewayUrl());
      if (check.ok) return { username: check.user, authMethod: 'oauth2', scopes: [...check.scopes] };
    }
    const metadata = oauth ? ` resource_metadata="${oauth.gatewayUrl()}/.well-known/oauth-protected-resource"` : '';
    json(res, 401, { detail: 'Not authenticated' }, { 'www-authenticate': `Bearer${metadata}` });
    return null;
  }

  /** Injected faults of the registry mode's API and MCP requests; true when the request was answered (or dropped). */
  async function faulted(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const fault = decideFault(faults.current);
    if (fault.delayMs > 0 && !(await pause(fault.delayMs, res))) return true;
    if (fault.kind === 'reset') {
      req.socket.destroy();
      return true;
    }
    if (fault.kind !== 'error') return false;
    const retryAfter = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    json(res, fault.status, { detail: 'injected fault' }, retryAfter);
    return true;
  }

  /** The MCP Gateway Registry's API (WIRE.md §6): its catalog under `/api/*`, each server's MCP at `/{path}/mcp`. */
  async function routeRegistry(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/health' && method === 'GET') {
      return json(res, 200, { status: 'healthy', service: 'mcp-gateway-registry', servers: registry.health() });
    }
    if (path === '/api/version' && method === 'GET') {
      return json(res, 200, { version: REGISTRY_API_VERSION, ui_title: 'SARK dev gateway' });
    }
    if (oauth && path === '/.well-known/oauth-protected-resource' && method === 'GET') {
      return protectedResource(res, oauth, undefined);
    }
    if (method === 'GET' && serveRegistryCatalog(path, url.searchParams, res, registry, remoteUrl)) return;
    const serverMcp = /^\/([^/]+)\/mcp$/.exec(path);
    if (serverMcp || path === '/mcp') {
      const name = serverMcp ? decodeURIComponent(serverMcp[1] as string) : '';
      // An unknown or unhealthy server path is the web UI's page, as the registry's nginx answers it.
      const backend = serverMcp ? registry.mcpServer(name) : aggregate;
      if (backend === null) return sendWebUi(res);
      if (method !== 'POST') return json(res, 405, { detail: 'Method Not Allowed' }, { allow: 'POST' });
      // The gateway's credential: X-Authorization first; Authorization then belongs to the backend.
      const header = req.headers['x-authorization'] ?? req.headers.authorization;
      if ((await registryCaller(res, header)) === null || (await faulted(req, res))) return;
      return mcp.handle(req, res, serverMcp ? name : AGGREGATE, backend, () => readBody(req));
    }
    if (path.startsWith('/api/v1/') || !path.startsWith('/api/')) return sendWebUi(res);
    const caller = await registryCaller(res, req.headers.authorization);
    if (caller === null || (await faulted(req, res))) return;
    if (path.startsWith('/api/registry/v0.1/') || path === '/api/registry/v0.1') {
      const catalogPath = path.slice('/api/registry'.length);
      if (method === 'GET' && serveRegistryCatalog(catalogPath, url.searchParams, res, registry, remoteUrl)) return;
    }
    if (serveRegistryApi(method, path, url.searchParams, res, registry, caller)) return;
    return json(res, 404, { detail: 'Not Found' });
  }

  async function invoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return json(res, 400, { detail: 'body must be a JSON object {"server", "tool", "parameters"}' });
    }
    const {
      server,
      tool,
      parameters = {},
    } = (body ?? {}) as { server?: unknown; tool?: unknown; parameters?: unknown };
    if (
      typeof server !== 'string' ||
      typeof tool !== 'string' ||
      typeof parameters !== 'object' ||
      parameters === null ||
      Array.isArray(parameters)
    ) {
      return json(res, 400, { detail: 'body must be {"server": string, "tool": string, "parameters": object}' });
    }
    const execute = async (): Promise<StoredAnswer> => {
      try {
        const result = await registry.invoke(server, tool, parameters as Record<string, unknown>);
        const status = result.isError ? 'error' : 'success';
        hub.emit('tool_invoked', { server_name: server, tool_name: tool, status }, { serverName: server, audit: true });
        return { status: 200, body: JSON.stringify({ status, result }) };
      } catch (error) {
        const httpStatus = error instanceof InvocationError ? error.status : 502;
        const detail = error instanceof Error ? error.message : String(error);
        hub.emit(
          'error',
          { server_name: server, tool_name: tool, message: detail },
          { serverName: server, audit: true },
        );
        return { status: httpStatus, body: JSON.stringify({ status: 'error', detail }) };
      }
    };
    const key = req.headers['idempotency-key'];
    const { answer, replayed } =
      typeof key === 'string' && key !== '' ? idempotency.run(key, execute) : { answer: execute(), replayed: false };
    const stored = await answer;
    const cutRate = faults.current.cutAnswerRate;
    if (cutRate !== undefined && Math.random() < cutRate) {
      // The tool ran; the answer is lost on the way: half of it, then a reset.
      res.writeHead(stored.status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(stored.body)),
      });
      res.write(stored.body.slice(0, stored.body.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.writeHead(stored.status, {
      'content-type': 'application/json',
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    res.end(stored.body);
  }

  /** RFC 9728 metadata of `/mcp/{server}` (or of the gateway's REST API): resource, authorization server, scopes. */
  function protectedResource(res: ServerResponse, guard: OAuthGuard, segment: string | undefined): void {
    if (segment !== undefined && registry.mcpServer(decodeURIComponent(segment)) === null) {
      return json(res, 404, { detail: 'Unknown server' });
    }
    return json(res, 200, {
      resource: resourceOf(guard, segment ?? null),
      authorization_servers: [guard.authorizationServer.issuer],
      scopes_supported: config.oauth?.scopes ?? [],
      bearer_methods_supported: ['header'],
    });
  }

  /** `/mcp/{server}` in OAuth mode: a token for it, and for a `tools/call` the tool's own scope if it has one. */
  async function guardedMcp(req: IncomingMessage, res: ServerResponse, guard: OAuthGuard, segment: string) {
    const granted = await authorized(req, res, guard, segment);
    if (granted === null) return;
    const name = decodeURIComponent(segment);
    const body = req.method === 'POST' ? await readBody(req).catch(() => '') : '';
    let tool: unknown;
    try {
      const message = JSON.parse(body) as { method?: unknown; params?: { name?: unknown } };
      tool = message.method === 'tools/call' ? message.params?.name : undefined;
    } catch {
      tool = undefined;
    }
    const needed = typeof tool === 'string' ? config.oauth?.toolScopes[`${name}/${tool}`] : undefined;
    if (needed !== undefined && !granted.has(needed)) {
      const scopes = [...(config.oauth?.scopes ?? []), needed].join(' ');
      return json(
        res,
        403,
        { error: 'insufficient_scope', detail: `${String(tool)} needs scope ${needed}` },
        {
          'www-authenticate': [
            `Bearer error="insufficient_scope"`,
            `scope="${scopes}"`,
            `resource_metadata="${guard.gatewayUrl()}/.well-known/oauth-protected-resource/mcp/${segment}"`,
          ].join(', '),
        },
      );
    }
    return mcp.handle(req, res, name, registry.mcpServer(name), async () => body);
  }

  /** `/mcp/{server}`'s resource identifier, or the gateway's own (its REST API) for `null`. */
  function resourceOf(guard: OAuthGuard, segment: string | null): string {
    return segment === null ? guard.gatewayUrl() : `${guard.gatewayUrl()}/mcp/${segment}`;
  }

  /**
   * The scopes of a bearer token for exactly `/mcp/{server}` (the REST API for `null`), or `null` after a `401` that
   * tells where to get one.
   */
  async function authorized(
    req: IncomingMessage,
    res: ServerResponse,
    guard: OAuthGuard,
    segment: string | null,
  ): Promise<ReadonlySet<string> | null> {
    const resource = resourceOf(guard, segment);
    const path = segment === null ? '' : `/mcp/${segment}`;
    const metadata = `${guard.gatewayUrl()}/.well-known/oauth-protected-resource${path}`;
    const challenge = [`Bearer resource_metadata="${metadata}"`, `scope="${(config.oauth?.scopes ?? []).join(' ')}"`];
    const header = req.headers.authorization ?? '';
    const token = /^Bearer ([\x21-\x7E]+)$/i.exec(header)?.[1];
    if (token === undefined) {
      json(
        res,
        401,
        { error: 'invalid_token', detail: 'A bearer token is required' },
        {
          'www-authenticate': challenge.join(', '),
        },
      );
      return null;
    }
    const check = await guard.authorizationServer.check(token, resource);
    if (!check.ok) {
      json(
        res,
        401,
        { error: 'invalid_token', detail: check.why },
        {
          'www-authenticate': [...challenge, 'error="invalid_token"'].join(', '),
        },
      );
      return null;
    }
    return check.scopes;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dev-gateway');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const routeName = `${method} ${path.replace(/^\/api\/v1\/servers\/[^/]+/, '/api/v1/servers/{name}')}`;
    counts.set(routeName, (counts.get(routeName) ?? 0) + 1);
    if (handleCors(req, res, config.corsOrigins)) return;
    if (config.dialect === 'mcp-gateway-registry') return routeRegistry(req, res, url, path);

    if (path === '/health' && method === 'GET') {
      return json(res, 200, { status: 'healthy', servers: registry.health() });
    }
    // The registry catalog's reads are anonymous, as the official MCP Registry's are.
    if (method === 'GET' && serveRegistryCatalog(path, url.searchParams, res, registry, remoteUrl)) return;
    const mcpMatch = /^\/mcp\/([^/]+)$/.exec(path);
    const metadataMatch = /^\/\.well-known\/oauth-protected-resource(?:\/mcp\/([^/]+))?$/.exec(path);
    if (oauth && metadataMatch && method === 'GET') return protectedResource(res, oauth, metadataMatch[1]);
    if (!path.startsWith('/api/') && !mcpMatch && path !== '/mcp')
      return json(res, 404, { detail: `Not found: ${path}` });
    // In OAuth mode the MCP endpoints take the authorization server's tokens, not the API key.
    if (oauth && mcpMatch) return guardedMcp(req, res, oauth, mcpMatch[1] as string);
    const withKey = config.apiKey !== undefined && req.headers['x-api-key'] === config.apiKey;
    // In OAuth mode the REST API also takes a token for the gateway itself (its root is the resource).
    if (oauth && !withKey) {
      if ((await authorized(req, res, oauth, null)) === null) return;
    } else if (config.apiKey !== undefined && !withKey) {
      return json(res, 401, { detail: 'Missing or invalid X-API-Key' });
    }
    if (mcpMatch) {
      const name = decodeURIComponent(mcpMatch[1] as string);
      return mcp.handle(req, res, name, registry.mcpServer(name), () => readBody(req));
    }
    // Every server's tools behind one endpoint, as aggregating gateways serve them.
    if (path === '/mcp') return mcp.handle(req, res, AGGREGATE, aggregate, () => readBody(req));
    const fault = decideFault(faults.current);
    if (fault.delayMs > 0 && !(await pause(fault.delayMs, res))) return;
    if (fault.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'error') {
      return json(
        res,
        fault.status,
        { detail: 'injected fault' },
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) },
      );
    }

    const types = new Set((url.searchParams.get('event_types') ?? '').split(',').filter((t) => t !== ''));
    const sseOptions = {
      keepAliveMs: config.keepAliveMs,
      retryMs: config.sseRetryMs,
      dropEvery: faults.current.sseDropEvery,
    };
    const stream = (scope: StreamScope) => serveEvents(req, res, hub, scope, types, sseOptions);

    if (method === 'GET' && path === '/api/v1/servers') {
      const { items, total } = page(registry.list(), url.searchParams);
      return json(res, 200, { servers: items, total });
    }
    if (method === 'GET' && path === '/api/v1/tools') {
      const server = url.searchParams.get('server') ?? undefined;
      const { items, total } = page(registry.tools(server), url.searchParams);
      return json(res, 200, { tools: items, total });
    }
    if (method === 'POST' && path === '/api/v1/invoke') return invoke(req, res);
    if (method === 'GET' && path === '/api/v1/events') return stream({ kind: 'all' });
    if (method === 'GET' && path === '/api/v1/audit/stream') return stream({ kind: 'audit' });
    const serverMatch = /^\/api\/v1\/servers\/([^/]+)(\/stream)?$/.exec(path);
    if (method === 'GET' && serverMatch) {
      const name = decodeURIComponent(serverMatch[1] as string);
      const info = registry.get(name);
      if (!info) return json(res, 404, { detail: `Unknown server: ${name}` });
      return serverMatch[2] ? stream({ kind: 'server', serverName: name }) : json(res, 200, info);
    }
    return json(res, 404, { detail: `Not found: ${method} ${path}` });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { detail: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
