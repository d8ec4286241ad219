import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  GatewayConfigError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  PermissionDeniedError,
  TransportNotAvailableError,
} from '@sark/core';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { GatewayClient, localPolicy, type GatewayClientOptions } from '@sark/gateway';
import { hostileServer, sendJson } from '@sark/test-support/hostile-server';
import { everythingArgs, headerObject, served } from './helpers';

// The 'mcp-gateway-registry' dialect against the dev gateway's registry mode (the MCP Gateway Registry's /api/*
// catalog, MCP at /{path}/mcp with X-Authorization — WIRE.md §6) in front of a real MCP server, then registries that
// lie. Every request the client makes is recorded as it leaves (a fetch that only looks).
const KEY = 'registry-static-key';
let gateway: DevGateway;
beforeAll(async () => {
  gateway = await startDevGateway({
    config: {
      apiKey: KEY,
      dialect: 'mcp-gateway-registry',
      syntheticServers: 30,
      servers: [{ name: 'everything', command: process.execPath, args: everythingArgs() }],
    },
  });
}, 60_000);
afterAll(() => gateway?.close());

interface Sent {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}
const sent: Sent[] = [];
const recordingFetch: typeof fetch = (input, init) => {
  const headers = headerObject(init?.headers);
  sent.push({ url: String(input), headers, body: typeof init?.body === 'string' ? init.body : '' });
  return fetch(input, init);
};

const clients: GatewayClient[] = [];
function client(options: Partial<GatewayClientOptions> = {}): GatewayClient {
  const made = new GatewayClient({
    gatewayUrl: gateway.url,
    apiKey: KEY,
    dialect: 'mcp-gateway-registry',
    fetch: recordingFetch,
    retry: { initialDelayMs: 10, jitter: false },
    ...options,
  });
  clients.push(made);
  return made;
}
afterEach(async () => {
  gateway.setFaults({});
  await Promise.all(clients.splice(0).map((made) => made.close()));
  sent.length = 0;
});

const executed = (tool: string) => gateway.executed.get(`everything/${tool}`) ?? 0;

describe("dialect 'mcp-gateway-registry' against the dev gateway's registry mode", () => {
  it("'auto' asks the public /health once and finds the registry; the SARK dev gateway is 'sark'", async () => {
    const auto = client({ dialect: 'auto' });
    expect(auto.dialect).toBeNull();
    expect((await auto.listServers({ pageSize: 5 })).map((server) => server.serverId)).toHaveLength(5);
    expect(auto.dialect).toBe('mcp-gateway-registry');
    await auto.listServers({ pageSize: 5, page: 2 });
    const probes = sent.filter((request) => new URL(request.url).pathname === '/health');
    expect(probes).toHaveLength(1);
    expect(probes[0]?.headers['authorization']).toBeUndefined(); // the probe carries no credential

    const sark = await startDevGateway({ config: { apiKey: KEY, syntheticServers: 1 } });
    try {
      const other = client({ gatewayUrl: sark.url, dialect: 'auto' });
      expect(await other.detectDialect()).toBe('sark');
      expect((await other.listAllServers()).map((server) => server.serverName)).toEqual(['synthetic-00000']);
    } finally {
      await sark.close();
    }
  });

  it('servers from /api/servers, paged by limit and offset: id the path, name the display name', async () => {
    const c = client();
    const all = await c.listAllServers({ pageSize: 7 });
    expect(all).toHaveLength(31);
    expect(new Set(all.map((server) => server.serverId)).size).toBe(31);
    const everything = all.find((server) => server.serverId === '/everything');
    expect(everything).toMatchObject({ serverName: 'everything', toolsCount: 13, healthStatus: 'healthy' });
    expect(everything?.serverUrl).toBe(`${gateway.url}/everything/mcp`);
    const pages = sent.filter((request) => new URL(request.url).pathname === '/api/servers');
    expect(pages.length).toBe(5);
    for (const page of pages) {
      const query = new URL(page.url).searchParams;
      expect(query.get('limit')).toBe('7');
      expect(query.get('include_tools')).toBe('false');
    }
    // The registry's credential: a bearer token on /api/*, never X-API-Key.
    expect(pages.every((page) => page.headers['authorization'] === `Bearer ${KEY}`)).toBe(true);
    expect(sent.some((request) => 'x-api-key' in request.headers)).toBe(false);

    const iterated: string[] = [];
    for await (const server of c.iterateServers({ pageSize: 10 })) iterated.push(server.serverId);
    expect(iterated).toEqual(all.map((server) => server.serverId));
    expect(await c.getServerInfo('everything')).toMatchObject({ serverId: '/everything', toolsCount: 13 });
    const missing = await c.getServerInfo('/nobody').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GatewayHttpError);
    expect((missing as GatewayHttpError).status).toBe(404);
  });

  it('tools of one server (/api/servers/tools/{path}) and of all (/api/tool-catalog, paged here)', async () => {
    const c = client();
    const tools = await c.listAllTools({ serverName: '/everything' });
    expect(tools.map((tool) => tool.toolName)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    const echo = tools.find((tool) => tool.toolName === 'echo');
    expect(echo).toMatchObject({ serverName: '/everything' });
    expect(echo?.parameters).toEqual([expect.objectContaining({ name: 'message', type: 'string', required: true })]);
    const catalog = await c.listAllTools();
    expect(catalog.length).toBe(13 + 30 * 3);
    const second = await c.listTools({ page: 2, pageSize: 40 });
    expect(second).toEqual(catalog.slice(40, 80));
    // The catalog was fetched once: the page came from the cache.
    expect(sent.filter((request) => new URL(request.url).pathname === '/api/tool-catalog')).toHaveLength(1);
  });

  it('invokeTool: tools/call on /{path}/mcp, the credential in X-Authorization, one session kept', async () => {
    const c = client({ backendCredentials: { '/everything': 'Bearer backend-own-token' } });
    const before = executed('echo');
    const first = await c.invokeTool({ serverName: '/everything', toolName: 'echo', parameters: { message: 'one' } });
    expect(first).toEqual({ status: 'success', result: { content: [{ type: 'text', text: 'Echo: one' }] } });
    const posts = served(gateway, 'POST /everything/mcp');
    const second = await c.invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'two' } });
    expect(JSON.stringify(second)).toContain('Echo: two');
    expect(served(gateway, 'POST /everything/mcp')).toBe(posts + 1); // the same session: one request
    expect(executed('echo')).toBe(before + 2);
    const mcp = sent.filter((request) => request.url === `${gateway.url}/everything/mcp`);
    expect(mcp.length).toBeGreaterThan(2);
    for (const request of mcp) {
      expect(request.headers['x-authorization']).toBe(`Bearer ${KEY}`);
      expect(request.headers['authorization']).toBe('Bearer backend-own-token');
      expect(request.headers['x-api-key']).toBeUndefined();
      expect(request.headers['idempotency-key']).toBeUndefined();
    }
    // The backend's credential is a secret in use: no error or log line shows it.
    const leaked = new GatewayConfigError({ message: 'the backend said backend-own-token was wrong' });
    expect(String(leaked)).not.toContain('backend-own-token');
  });

  it("the tool's progress reaches onProgress as the registry relays it", async () => {
    const c = client();
    const seen: number[] = [];
    const result = await c.invokeTool({
      serverName: '/everything',
      toolName: 'trigger-long-running-operation',
      parameters: { duration: 0.3, steps: 3 },
      onProgress: ({ progress }) => seen.push(progress),
    });
    expect(result['status']).toBe('success');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('a session the gateway forgot is opened again, and the call goes through once', async () => {
    const c = client();
    await c.invokeTool({ serverName: '/everything', toolName: 'echo', parameters: { message: 'a' } });
    gateway.forgetMcpSessions();
    const before = executed('echo');
    const result = await c.invokeTool({ serverName: '/everything', toolName: 'echo', parameters: { message: 'b' } });
    expect(JSON.stringify(result)).toContain('Echo: b');
    expect(executed('echo')).toBe(before + 1);
  });

  it('the policy decides first: a denial sends nothing; an allowed call runs under it', async () => {
    const asked: unknown[] = [];
    const c = client({
      opaClient: localPolicy((input) => {
        asked.push([input['server_name'], input['tool_name']]);
        return input['tool_name'] === 'echo' ? true : { allow: false, reason: 'Denied: sums are off' };
      }),
    });
    const before = executed('get-sum');
    const denied = c.invokeTool({ serverName: '/everything', toolName: 'get-sum', parameters: { a: 1, b: 2 } });
    await expect(denied).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(executed('get-sum')).toBe(before);
    expect(sent.some((request) => request.url.endsWith('/mcp'))).toBe(false);
    await c.invokeTool({ serverName: '/everything', toolName: 'echo', parameters: { message: 'ok' } });
    expect(asked).toEqual([
      ['/everything', 'get-sum'],
      ['/everything', 'echo'],
    ]);
  });

  it('a tools/call that may have reached the tool is never sent twice; a 503 before it is retried', async () => {
    const c = client();
    await c.invokeTool({ serverName: '/everything', toolName: 'echo', parameters: { message: 'open' } });
    // The connection is dropped after the request went out: it may have run. One attempt, a network error.
    gateway.setFaults({ resetRate: 1 });
    const posts = served(gateway, 'POST /everything/mcp');
    const dropped = c.invokeTool({ serverName: '/everything', toolName: 'echo', parameters: { message: 'x' } });
    await expect(dropped).rejects.toBeInstanceOf(GatewayNetworkError);
    expect(served(gateway, 'POST /everything/mcp')).toBe(posts + 1);
    // 503 with Retry-After: turned away before it ran. Retried, and it runs once.
    gateway.setFaults({ failNext: 2, errorStatus: 503, retryAfterSeconds: 0 });
    const before = executed('echo');
    const result = await c.invokeTool({ serverName: '/everything', toolName: 'echo', parameters: { message: 'y' } });
    expect(JSON.stringify(result)).toContain('Echo: y');
    expect(executed('echo')).toBe(before + 1);
  });

  it('what the registry cannot do: TransportNotAvailableError naming the dialect; whoami is /api/auth/me', async () => {
    const c = client();
    expect(() => c.streamEvents()).toThrow(TransportNotAvailableError);
    expect(() => c.streamEvents()).toThrow('mcp-gateway-registry');
    expect(await c.whoami()).toMatchObject({ username: 'api-key', authMethod: 'static_api_key' });
    const health = await c.healthCheck();
    expect(health.status).toBe('healthy');
    const sark = new GatewayClient({ gatewayUrl: gateway.url, apiKey: KEY, retry: { maxAttempts: 1 } });
    clients.push(sark);
    // The SARK API against the registry: its /api/v1 is the web UI's page — said so, not a JSON error.
    const html = await sark.listServers().catch((e: unknown) => e);
    expect(html).toBeInstanceOf(GatewayProtocolError);
    expect(String(html)).toContain('HTML page');
    await expect(sark.whoami()).rejects.toBeInstanceOf(TransportNotAvailableError);
  });

  it('a server path that would leave the gateway is a GatewayConfigError, and nothing is sent', async () => {
    const c = client({ enableErrorHandling: false });
    for (const serverName of ['../admin', '/a/../b', '//evil.example', 'http://evil.example/x', '/a%2e%2e', '/a?b']) {
      const error = await c.invokeTool({ serverName, toolName: 'echo' }).catch((e: unknown) => e);
      expect(error, serverName).toBeInstanceOf(GatewayConfigError);
      await expect(c.listAllTools({ serverName })).rejects.toBeInstanceOf(GatewayConfigError);
    }
    expect(sent).toHaveLength(0);
    expect(() => client({ backendCredentials: { '/../x': 'Bearer t' } })).toThrow(GatewayConfigError);
  });
});

describe('registries that lie', () => {
  it('total_count and has_next that never end, repeated pages, paths to elsewhere, HTML: typed errors', async () => {
    const server = (path: string) => ({ path, display_name: path, num_tools: 1 });
    const registry = await hostileServer((request, res) => {
      const url = new URL(request.url, 'http://registry');
      if (url.pathname === '/api/servers' && url.searchParams.get('query') === null) {
        // Always the same page, always "more to come".
        return sendJson(res, 200, { servers: [server('/a'), server('/b')], total_count: 1e9, has_next: true });
      }
      if (url.pathname === '/api/tool-catalog') {
        return sendJson(res, 200, {
          tools: [{ tool_name: 'steal', server_path: '//evil.example/x', input_schema: {} }],
        });
      }
      if (url.pathname === '/api/servers/a') return sendJson(res, 200, server('/../../admin'));
      if (url.pathname === '/api/servers/secret' || url.pathname === '/secret/mcp') {
        return sendJson(res, 403, { detail: 'Access denied' });
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Registry</title>');
    });
    try {
      const c = new GatewayClient({
        gatewayUrl: registry.url,
        dialect: 'mcp-gateway-registry',
        enableErrorHandling: false,
      });
      clients.push(c);
      const looping = await c.listAllServers({ pageSize: 2 }).catch((e: unknown) => e);
      expect(looping).toBeInstanceOf(GatewayProtocolError);
      expect(String(looping)).toContain('repeats');
      expect(registry.requests.length).toBeLessThanOrEqual(5); // the first page, then one wave of 4
      await expect(c.listAllTools()).rejects.toBeInstanceOf(GatewayProtocolError);
      await expect(c.getServerInfo('/a')).rejects.toBeInstanceOf(GatewayProtocolError);
      const html = await c.listAllTools({ serverName: '/b' }).catch((e: unknown) => e);
      expect(html).toBeInstanceOf(GatewayProtocolError);
      expect(String(html)).toContain('HTML page');
      // 403: the caller may not see or use it — a denial, like the policy's, never retried.
      await expect(c.getServerInfo('/secret')).rejects.toBeInstanceOf(PermissionDeniedError);
      const denied = await c.invokeTool({ serverName: '/secret', toolName: 'echo' }).catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(PermissionDeniedError);
      expect(String(denied)).toContain('HTTP 403');
      // An MCP path that answers the web UI: a protocol error, and no tool call was ever sent.
      const invoked = await c.invokeTool({ serverName: '/b', toolName: 'echo' }).catch((e: unknown) => e);
      expect(invoked).toBeInstanceOf(Error);
      expect(registry.requests.some((request) => request.body.includes('tools/call'))).toBe(false);
      expect(registry.requests.every((request) => new URL(request.url, 'http://x').host === 'x')).toBe(true);
    } finally {
      await registry.close();
    }
  });
});
