import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevGatewayConfigError, parseDevGatewayConfig, startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { CRASHY, npmServer, readEvents, readEventsUntil } from './helpers';

const memoryDir = mkdtempSync(join(tmpdir(), 'sark-devgw-'));
let gw: DevGateway;
const KEY = 'dev-key-123';
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}${path}`, { headers: { 'x-api-key': KEY, ...headers } });
const invoke = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/api/v1/invoke`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  gw = await startDevGateway({
    config: {
      apiKey: KEY,
      keepAliveMs: 100,
      syntheticServers: 25,
      servers: [
        {
          ...npmServer('everything', '@modelcontextprotocol/server-everything', ['stdio']),
          sensitivity_level: 'low',
          authorized_teams: ['dev'],
        },
        {
          ...npmServer('memory', '@modelcontextprotocol/server-memory'),
          env: { MEMORY_FILE_PATH: join(memoryDir, 'memory.jsonl') },
        },
        { name: 'crashy', command: process.execPath, args: [CRASHY] },
        { name: 'broken', command: '/no/such/mcp-server' },
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  await gw.close();
  rmSync(memoryDir, { recursive: true, force: true });
});

describe('REST contract', () => {
  it('GET /health', async () => {
    const body = await (await fetch(`${gw.url}/health`)).json();
    expect(body).toMatchObject({
      status: 'healthy',
      servers: { everything: 'healthy', memory: 'healthy', crashy: 'healthy', broken: 'unhealthy' },
    });
  });

  it('401 without the API key, as JSON', async () => {
    const response = await fetch(`${gw.url}/api/v1/servers`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: 'Missing or invalid X-API-Key' });
  });

  it('lists servers with offset/limit and total; real servers carry their real tool counts', async () => {
    const body = (await (await get('/api/v1/servers?offset=0&limit=1000')).json()) as {
      servers: Record<string, unknown>[];
      total: number;
    };
    expect(body.total).toBe(29);
    const everything = body.servers.find((s) => s['server_name'] === 'everything');
    expect(everything).toMatchObject({
      server_id: 'srv-everything',
      server_url: 'stdio://everything',
      health_status: 'healthy',
      sensitivity_level: 'low',
      authorized_teams: ['dev'],
    });
    expect(everything?.['tools_count']).toBeGreaterThanOrEqual(10);
    const pageTwo = (await (await get('/api/v1/servers?offset=10&limit=10')).json()) as {
      servers: { server_name: string }[];
      total: number;
    };
    expect(pageTwo.servers).toHaveLength(10);
    expect(pageTwo.servers[0]?.server_name).toBe('synthetic-00010');
  });

  it('GET /api/v1/servers/{name}, and a 404 as JSON', async () => {
    expect(await (await get('/api/v1/servers/memory')).json()).toMatchObject({
      server_name: 'memory',
      health_status: 'healthy',
    });
    const missing = await get('/api/v1/servers/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Unknown server: nope' });
  });

  it('tools map MCP input schemas to parameters, filtered by server', async () => {
    const body = (await (await get('/api/v1/tools?server=everything&limit=100')).json()) as {
      tools: Record<string, unknown>[];
      total: number;
    };
    const echo = body.tools.find((t) => t['tool_name'] === 'echo');
    expect(echo).toMatchObject({
      server_name: 'everything',
      description: 'Echoes back the input string',
      parameters: [{ name: 'message', type: 'string', required: true }],
    });
    expect(body.tools.every((t) => t['server_name'] === 'everything')).toBe(true);
  });

  it('invoke runs MCP tools/call on the server', async () => {
    const response = await invoke({ server: 'everything', tool: 'echo', parameters: { message: 'via gateway' } });
    expect(await response.json()).toEqual({
      status: 'success',
      result: { content: [{ type: 'text', text: 'Echo: via gateway' }] },
    });
    const memory = await invoke({
      server: 'memory',
      tool: 'create_entities',
      parameters: { entities: [{ name: 'sark', entityType: 'project', observations: ['dev gateway'] }] },
    });
    expect((await memory.json()) as object).toMatchObject({ status: 'success' });
  });

  it('an unknown server or tool is a 404 JSON error; a bad body is a 400', async () => {
    expect((await invoke({ server: 'nope', tool: 'echo', parameters: {} })).status).toBe(404);
    const response = await invoke({ server: 'everything', tool: 'nope', parameters: {} });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ status: 'error', detail: 'Unknown tool: everything/nope' });
    expect((await invoke({ server: 'everything' })).status).toBe(400);
  });

  it('replays a repeated Idempotency-Key without calling the tool again', async () => {
    const before = gw.executed.get('everything/get-sum') ?? 0;
    const first = await (
      await invoke({ server: 'everything', tool: 'get-sum', parameters: { a: 1, b: 2 } }, { 'idempotency-key': 'k-1' })
    ).text();
    const again = await invoke(
      { server: 'everything', tool: 'get-sum', parameters: { a: 1, b: 2 } },
      { 'idempotency-key': 'k-1' },
    );
    expect(await again.text()).toBe(first);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(gw.executed.get('everything/get-sum')).toBe(before + 1);
  });

  it('a crashing MCP server: unhealthy, invocations get 502, a server_health event; the gateway stays up', async () => {
    const events = fetch(`${gw.url}/api/v1/events?event_types=server_health`, { headers: { 'x-api-key': KEY } });
    const crash = await invoke({ server: 'crashy', tool: 'crash', parameters: {} });
    expect(crash.status).toBe(502);
    const health = (await readEvents(await events, 1)).map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(health.some((e) => e['server_name'] === 'crashy' && e['health_status'] === 'unhealthy')).toBe(true);
    expect(await (await get('/api/v1/servers/crashy')).json()).toMatchObject({ health_status: 'unhealthy' });
    const again = await invoke({ server: 'crashy', tool: 'ok', parameters: {} });
    expect(again.status).toBe(502);
    expect((await (await fetch(`${gw.url}/health`)).json()) as object).toMatchObject({ status: 'healthy' });
  });
});

describe('SSE', () => {
  it('streams with ids and retry:, replays after Last-Event-ID without repeats, filters by type', async () => {
    const marker = Math.random().toString(36).slice(2);
    const ids = [
      gw.emit('tool_invoked', { marker, n: 1 }),
      gw.emit('server_health', { marker, n: 2 }),
      gw.emit('tool_invoked', { marker, n: 3 }),
    ];
    expect(ids).toHaveLength(3);
    const mine = (events: { id: string; type: string; data: string }[]) =>
      events.filter((e) => e.data.includes(marker));
    const all = await get('/api/v1/events', { 'last-event-id': '0' });
    expect(all.headers.get('content-type')).toBe('text/event-stream');
    const seen = mine(await readEventsUntil(all, (events) => mine(events).length === 3));
    expect(seen.map((e) => [e.type, (JSON.parse(e.data) as { n: number }).n])).toEqual([
      ['tool_invoked', 1],
      ['server_health', 2],
      ['tool_invoked', 3],
    ]);
    expect(Number(seen[0]?.id)).toBeLessThan(Number(seen[1]?.id));

    const resumed = mine(
      await readEventsUntil(
        await get('/api/v1/events', { 'last-event-id': seen[1]?.id ?? '' }),
        (events) => mine(events).length >= 1,
      ),
    );
    expect(resumed.map((e) => (JSON.parse(e.data) as { n: number }).n)).toEqual([3]);

    const filtered = await readEventsUntil(
      await get('/api/v1/events?event_types=tool_invoked', { 'last-event-id': '0' }),
      (events) => mine(events).length === 2,
    );
    expect(filtered.every((e) => e.type === 'tool_invoked')).toBe(true);
    expect(mine(filtered).map((e) => (JSON.parse(e.data) as { n: number }).n)).toEqual([1, 3]);
  });

  it('with eventLogFile, a restarted gateway continues the ids and replays after Last-Event-ID', async () => {
    const eventLogFile = join(memoryDir, 'events.jsonl');
    const first = await startDevGateway({ config: { eventLogFile } });
    const ids = [first.emit('drill', { n: 1 }), first.emit('drill', { n: 2 })];
    await first.close();
    const second = await startDevGateway({ config: { eventLogFile } });
    try {
      const third = second.emit('drill', { n: 3 });
      expect(third).toBe((ids[1] as number) + 1);
      const replayed = await readEventsUntil(
        await fetch(`${second.url}/api/v1/events`, { headers: { 'last-event-id': String(ids[0]) } }),
        (events) => events.length >= 2,
      );
      expect(replayed.map((e) => (JSON.parse(e.data) as { n: number }).n)).toEqual([2, 3]);
    } finally {
      await second.close();
    }
  });

  it('a server stream carries only that server’s events', async () => {
    const stream = await get('/api/v1/servers/everything/stream?event_types=tool_invoked');
    await invoke({ server: 'memory', tool: 'read_graph', parameters: {} });
    await invoke({ server: 'everything', tool: 'echo', parameters: { message: 'scoped' } });
    const [event] = await readEvents(stream, 1);
    expect(JSON.parse(event?.data ?? '{}')).toMatchObject({ server_name: 'everything', tool_name: 'echo' });
    expect((await get('/api/v1/servers/nope/stream')).status).toBe(404);
  });

  it('starts with retry: and sends keep-alive comments', async () => {
    const response = await get('/api/v1/audit/stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const deadline = Date.now() + 2000;
    while (!text.includes(': keep-alive') && Date.now() < deadline)
      text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text.startsWith('retry: 1000\n')).toBe(true);
    expect(text).toContain(': keep-alive');
  });

  it('drops SSE streams every N events when told to (fault injection)', async () => {
    gw.setFaults({ sseDropEvery: 2 });
    try {
      const response = await get('/api/v1/events', { 'last-event-id': '0' });
      const text = await response.text(); // ends by itself after 2 events
      expect([...text.matchAll(/^id: /gm)]).toHaveLength(2);
    } finally {
      gw.setFaults({});
    }
  });
});

describe('faults', () => {
  it('injects errors with Retry-After, and latency', async () => {
    gw.setFaults({ errorRate: 1, errorStatus: 503, retryAfterSeconds: 2 });
    const failed = await get('/api/v1/servers');
    gw.setFaults({ latencyMs: 150 });
    const started = performance.now();
    await get('/api/v1/servers');
    const elapsed = performance.now() - started;
    gw.setFaults({});
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('2');
    expect(elapsed).toBeGreaterThanOrEqual(140);
  });
});

describe('config validation', () => {
  it.each([
    [{ servers: [{ name: 'a' }] }, 'servers[0] ("a").command: expected a non-empty string'],
    [
      {
        servers: [
          { name: 'a', command: 'x' },
          { name: 'b', command: 'y', args: 'nope' },
        ],
      },
      'servers[1] ("b").args: expected an array of strings',
    ],
    [
      { servers: [{ name: 'a', command: 'x', sensitivity_level: 'extreme' }] },
      'servers[0] ("a").sensitivity_level: expected low | medium | high | critical',
    ],
    [{ servers: [{ command: 'x' }] }, 'servers[0].name: expected a name'],
    [
      {
        servers: [
          { name: 'a', command: 'x' },
          { name: 'a', command: 'y' },
        ],
      },
      'servers[1] ("a").name: the name is already used',
    ],
    [{ servers: {} }, 'servers: expected an array'],
  ])('%j → %s', (raw, message) => {
    expect(() => parseDevGatewayConfig(raw)).toThrow(DevGatewayConfigError);
    expect(() => parseDevGatewayConfig(raw)).toThrow(message);
  });
});
