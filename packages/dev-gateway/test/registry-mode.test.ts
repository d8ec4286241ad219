import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { npmServer } from './helpers';

// The registry mode (WIRE.md §6, the MCP Gateway Registry's API) and the aggregated /mcp endpoint, spoken to by hand:
// the statuses, envelopes and headers a registry client meets.
const KEY = 'static-key-123';
let registry: DevGateway;
let sark: DevGateway;
beforeAll(async () => {
  const everything = npmServer('everything', '@modelcontextprotocol/server-everything', ['stdio']);
  [registry, sark] = await Promise.all([
    startDevGateway({
      config: { apiKey: KEY, dialect: 'mcp-gateway-registry', syntheticServers: 4, servers: [everything] },
    }),
    startDevGateway({ config: { apiKey: KEY, servers: [everything] } }),
  ]);
}, 60_000);
afterAll(() => Promise.all([registry?.close(), sark?.close()]));

const bearer = { authorization: `Bearer ${KEY}` };
const get = (path: string, headers: Record<string, string> = bearer) => fetch(`${registry.url}${path}`, { headers });

/** One JSON-RPC exchange (JSON answers only), with the session of `session` when given. */
async function rpc(url: string, headers: Record<string, string>, method: string, params?: unknown, session?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
      ...(session ? { 'mcp-session-id': session } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return { response, body: (await response.json()) as { result?: Record<string, unknown>; error?: unknown } };
}

async function openSession(url: string, headers: Record<string, string>): Promise<string> {
  const { response } = await rpc(url, headers, 'initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'test', version: '1' },
  });
  return response.headers.get('mcp-session-id') as string;
}

describe('registry mode', () => {
  it('public /health and /api/version; everything else under /api wants the bearer token', async () => {
    expect(await (await get('/health', {})).json()).toMatchObject({
      status: 'healthy',
      service: 'mcp-gateway-registry',
    });
    expect(await (await get('/api/version', {})).json()).toEqual({ version: '1.31.0', ui_title: 'SARK dev gateway' });
    const refused = await get('/api/servers', { 'x-api-key': KEY });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(await (await get('/api/auth/me')).json()).toMatchObject({
      username: 'api-key',
      auth_method: 'static_api_key',
    });
  });

  it('/api/servers pages with limit 1–2000 (422 outside), has_next and total_count; a server by path', async () => {
    const first = (await (await get('/api/servers?limit=2&offset=0')).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ total_count: 5, limit: 2, offset: 0, has_next: true });
    expect((first['servers'] as { path: string }[]).map((server) => server.path)).toEqual([
      '/synthetic-00000',
      '/synthetic-00001',
    ]);
    const last = (await (await get('/api/servers?limit=2&offset=4')).json()) as Record<string, unknown>;
    expect(last).toMatchObject({ has_next: false, servers: [expect.objectContaining({ path: '/everything' })] });
    expect((await get('/api/servers?limit=0')).status).toBe(422);
    expect((await get('/api/servers?limit=2001')).status).toBe(422);
    expect(await (await get('/api/servers/everything')).json()).toMatchObject({
      path: '/everything',
      display_name: 'everything',
      num_tools: 13,
      is_enabled: true,
    });
    expect((await get('/api/servers/nobody')).status).toBe(404);
  });

  it("a server's tools with their schemas, and the whole tool catalog", async () => {
    const tools = (await (await get('/api/servers/tools/everything')).json()) as {
      service_path: string;
      tools: { name: string; schema: { required?: string[] } }[];
    };
    expect(tools.service_path).toBe('/everything');
    expect(tools.tools.find((tool) => tool.name === 'echo')?.schema.required).toEqual(['message']);
    const catalog = (await (await get('/api/tool-catalog')).json()) as { tools: unknown[]; server_count: number };
    expect(catalog.server_count).toBe(5);
    expect(catalog.tools).toContainEqual(expect.objectContaining({ tool_name: 'echo', server_path: '/everything' }));
  });

  it('MCP at /{path}/mcp: the credential in X-Authorization, POST only; unknown paths are the web UI', async () => {
    const url = `${registry.url}/everything/mcp`;
    // X-Authorization is the gateway's; an Authorization beside it belongs to the backend and is not checked.
    const headers = { 'x-authorization': `Bearer ${KEY}`, authorization: 'Bearer for-the-backend' };
    const session = await openSession(url, headers);
    const { body } = await rpc(url, headers, 'tools/call', { name: 'echo', arguments: { message: 'hi' } }, session);
    expect(body.result).toEqual({ content: [{ type: 'text', text: 'Echo: hi' }] });
    expect((await rpc(url, { authorization: 'Bearer wrong' }, 'ping')).response.status).toBe(401);
    expect((await fetch(url, { headers })).status).toBe(405);
    const ui = await fetch(`${registry.url}/nobody/mcp`, { method: 'POST', headers, body: '{}' });
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
    // The SARK API is not here: the web UI answers it too.
    expect((await get('/api/v1/servers')).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('the official registry v0.1 reads point at /{server}/mcp; under /api/registry they want the token', async () => {
    const page = (await (await get('/v0.1/servers', {})).json()) as { servers: { server: { remotes: unknown } }[] };
    expect(page.servers[0]?.server.remotes).toEqual([
      { type: 'streamable-http', url: `${registry.url}/everything/mcp` },
    ]);
    expect((await get('/api/registry/v0.1/servers', {})).status).toBe(401);
    expect((await get('/api/registry/v0.1/servers')).status).toBe(200);
  });
});

describe('the aggregated /mcp endpoint', () => {
  it('every server’s tools as <server>__<tool>, ten a page; tools/call runs the tool on its server', async () => {
    const url = `${sark.url}/mcp`;
    const headers = { 'x-api-key': KEY };
    expect((await rpc(url, {}, 'ping')).response.status).toBe(401);
    const session = await openSession(url, headers);
    const names: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const { body } = await rpc(url, headers, 'tools/list', cursor ? { cursor } : {}, session);
      const result = body.result as { tools: { name: string }[]; nextCursor?: string };
      expect(result.tools.length).toBeLessThanOrEqual(10);
      names.push(...result.tools.map((tool) => tool.name));
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }
    expect(names).toHaveLength(13);
    expect(names).toContain('everything__echo');
    const call = { name: 'everything__echo', arguments: { message: 'agg' } };
    const before = sark.executed.get('everything/echo') ?? 0;
    expect((await rpc(url, headers, 'tools/call', call, session)).body.result).toEqual({
      content: [{ type: 'text', text: 'Echo: agg' }],
    });
    expect(sark.executed.get('everything/echo')).toBe(before + 1);
    const unknown = await rpc(url, headers, 'tools/call', { name: 'nobody__echo', arguments: {} }, session);
    expect(unknown.body.error).toMatchObject({ code: -32602 });
  });
});
