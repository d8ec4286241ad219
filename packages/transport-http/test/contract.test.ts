import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ClientClosedError,
  GatewayConfigError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  TimeoutError,
} from '@sark/core';
import type { HttpTransportOptions } from '../src/http-transport';
import { scenario } from '@sark/test-support/scenario';
import { server as wireServer } from '@sark/test-support/stub-gateway';

// The same contract runs against every way the transport can talk HTTP: undici and fetch under Node, and the
// browser entry (fetch) inside the edge-runtime environment.
type Transport = import('../src/http-transport').HttpTransportCore;
const inEdge = typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'string';
const variants: [string, (options: HttpTransportOptions) => Promise<Transport>][] = inEdge
  ? [
      [
        'browser entry (fetch) in edge-runtime',
        async (o) => new (await import('../src/index.browser')).HttpTransport(o),
      ],
    ]
  : [
      ['node entry (undici)', async (o) => new (await import('../src/index')).HttpTransport(o)],
      [
        'node entry with injected fetch',
        async (o) => new (await import('../src/index')).HttpTransport({ ...o, fetch: globalThis.fetch }),
      ],
    ];

const open: Transport[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((t) => t.close()));
});

describe.each(variants)('HttpTransport contract: %s', (_name, create) => {
  async function make(options: Partial<HttpTransportOptions> & { gatewayUrl: string }) {
    const transport = await create(options);
    open.push(transport);
    return transport;
  }

  describe('requests on the wire', () => {
    it('listServers: path, query, headers and parsed models', async () => {
      const stub = await scenario({
        routes: [{ path: '/api/v1/servers', json: { servers: [wireServer(1)], total: 1, extra: true } }],
      });
      const t = await make({ gatewayUrl: `${stub.gatewayUrl}/`, apiKey: 'key-123456' });
      const servers = await t.listServers({ userToken: 'user-token-abcdef' });
      expect(servers).toEqual([
        expect.objectContaining({
          serverId: 'id-1',
          serverName: 'server-1',
          sensitivityLevel: 'medium',
          toolsCount: 2,
        }),
      ]);
      const [request] = await stub.requests();
      expect(request).toMatchObject({ method: 'GET', path: '/api/v1/servers', query: { offset: '0', limit: '100' } });
      expect(request?.headers).toMatchObject({
        accept: 'application/json',
        'x-api-key': 'key-123456',
        authorization: 'Bearer user-token-abcdef',
      });
      expect(request?.headers['user-agent']).toMatch(/^sark-gateway-js\/\S+$/);
    });

    it('pages: offset from page and pageSize, limit capped at 1000', async () => {
      const stub = await scenario({ servers: { count: 0, withTotal: false } });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      await t.listServers({ page: 3, pageSize: 20 });
      await t.listServers({ page: 2, pageSize: 5000 });
      expect((await stub.requests()).map((r) => r.query)).toEqual([
        { offset: '40', limit: '20' },
        { offset: '1000', limit: '1000' },
      ]);
    });

    it('getServer sends the name as one percent-encoded path segment', async () => {
      const stub = await scenario({ routes: [{ path: '/api/v1/servers/a%2Fb%3Fc%23d%25%0A', json: wireServer(9) }] });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      await expect(t.getServer('a/b?c#d%\n')).resolves.toMatchObject({ serverId: 'id-9' });
      expect((await stub.requests())[0]?.path).toBe('/api/v1/servers/a%2Fb%3Fc%23d%25%0A');
    });

    it('refuses path traversal names before sending anything', async () => {
      const stub = await scenario();
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      await expect(t.getServer('..')).rejects.toBeInstanceOf(GatewayConfigError);
      await expect(t.getServer('')).rejects.toThrow('getServer: serverName: expected a non-empty string');
      const stillOneSegment = await t.getServer('../../admin').catch((e: unknown) => e);
      expect(stillOneSegment).toBeInstanceOf(GatewayHttpError);
      expect((await stub.requests()).map((r) => r.path)).toEqual(['/api/v1/servers/..%2F..%2Fadmin']);
    });

    it('listTools filters by server', async () => {
      const stub = await scenario({ tools: { count: 3, withTotal: true } });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const tools = await t.listTools({ serverName: 'server-1', pageSize: 10 });
      expect(tools.map((tool) => tool.toolName)).toEqual(['tool-0', 'tool-1', 'tool-2']);
      expect((await stub.requests())[0]?.query).toEqual({ offset: '0', limit: '10', server: 'server-1' });
    });

    it('invoke posts server, tool and parameters with an Idempotency-Key', async () => {
      const answer = { status: 'success', result: { content: [{ type: 'text', text: 'Echo: hi' }] } };
      const stub = await scenario({ routes: [{ method: 'POST', path: '/api/v1/invoke', json: answer }] });
      const t = await make({ gatewayUrl: stub.gatewayUrl, apiKey: 'k-abcdef' });
      await expect(
        t.invoke({
          serverName: 'everything',
          toolName: 'echo',
          parameters: { message: 'hi' },
          idempotencyKey: 'key-1',
        }),
      ).resolves.toEqual(answer);
      await t.invoke({ serverName: 'everything', toolName: 'echo' });
      const [first, second] = await stub.requests();
      expect(first).toMatchObject({ method: 'POST', path: '/api/v1/invoke' });
      expect(JSON.parse(first?.body ?? '')).toEqual({
        server: 'everything',
        tool: 'echo',
        parameters: { message: 'hi' },
      });
      expect(first?.headers).toMatchObject({
        'content-type': 'application/json',
        'idempotency-key': 'key-1',
        'x-api-key': 'k-abcdef',
      });
      expect(second?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(second?.body ?? '')).toEqual({ server: 'everything', tool: 'echo', parameters: {} });
    });

    it('invoke is never cached', async () => {
      const stub = await scenario({
        routes: [{ method: 'POST', path: '/api/v1/invoke', json: { status: 'success' } }],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      await t.invoke({ serverName: 's', toolName: 't' });
      await t.invoke({ serverName: 's', toolName: 't' });
      expect(await stub.requests()).toHaveLength(2);
    });

    it('health: healthy, unhealthy status, unreachable', async () => {
      const stub = await scenario({
        routes: [
          { path: '/health', json: { status: 'healthy' }, times: 1 },
          { path: '/health', json: { status: 'degraded' } },
        ],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      await expect(t.health()).resolves.toMatchObject({ healthy: true });
      await expect(t.health()).resolves.toMatchObject({ healthy: false, error: 'gateway reports status "degraded"' });
      const dead = await make({ gatewayUrl: 'http://127.0.0.1:9' });
      const probe = await dead.health({ timeoutMs: 2000 });
      expect(probe.healthy).toBe(false);
      expect(probe.latencyMs).toBeGreaterThanOrEqual(0);
    });
  });

  describe('validation', () => {
    it('rejects bad options and arguments with the field that is wrong', async () => {
      await expect(create({ gatewayUrl: 'ftp://gw' })).rejects.toThrow(
        'gatewayUrl: only http and https are supported, not ftp:',
      );
      await expect(create({ gatewayUrl: 'http://user:pw@gw' })).rejects.toThrow(GatewayConfigError);
      await expect(create({ gatewayUrl: 'not a url' })).rejects.toThrow(
        'gatewayUrl: "not a url" is not an absolute URL',
      );
      for (const gatewayUrl of [undefined, null, 8080, {}]) {
        await expect(create({ gatewayUrl } as unknown as HttpTransportOptions)).rejects.toThrow(GatewayConfigError);
      }
      await expect(create({ gatewayUrl: 'http://gw', timeoutMs: 0 })).rejects.toThrow(
        'timeoutMs: must be a number > 0, got 0',
      );
      await expect(create(null as never)).rejects.toThrow(GatewayConfigError);
      await expect(create({ gatewayUrl: 'http://gw', cache: 5 as never })).rejects.toThrow(
        'cache: must be an object, got 5',
      );
      await expect(create({ gatewayUrl: 'http://gw', headers: 'x-a: 1' as never })).rejects.toThrow(
        'headers: must be an object, got a string',
      );
      const t = await make({ gatewayUrl: 'http://127.0.0.1:9' });
      await expect(t.listServers({ page: 0 })).rejects.toThrow('listServers: page must be an integer ≥ 1');
      await expect(t.listTools({ pageSize: 1.5 })).rejects.toThrow('listTools: pageSize must be an integer ≥ 1');
      await expect(t.invoke({ serverName: '', toolName: 'x' })).rejects.toThrow(
        'invoke: serverName: expected a non-empty string',
      );
    });

    it('refuses CR/LF in header values before sending anything', async () => {
      const stub = await scenario({ servers: { count: 1, withTotal: true } });
      await expect(create({ gatewayUrl: stub.gatewayUrl, apiKey: 'abc\r\nX-Evil: 1' })).rejects.toThrow(
        'X-API-Key header: its value holds a control character',
      );
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const error = await t.listServers({ userToken: 'tok\nen' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayConfigError);
      expect((error as Error).message).not.toContain('tok');
      await expect(t.invoke({ serverName: 's', toolName: 't', idempotencyKey: 'a\rb' })).rejects.toBeInstanceOf(
        GatewayConfigError,
      );
      expect(await stub.requests()).toHaveLength(0);
    });

    it('refuses a header name no HTTP stack can send (headers, requestHeaders) before sending anything', async () => {
      const stub = await scenario({ servers: { count: 1, withTotal: true } });
      for (const name of ['x trace', 'x-ok\r\nx-injected', '', 'x-caf\u00e9']) {
        await expect(create({ gatewayUrl: stub.gatewayUrl, headers: { [name]: 'v' } })).rejects.toThrow(
          GatewayConfigError,
        );
      }
      // Made per request (a propagator's headers): with fetch this was a TypeError, taken for a network failure.
      const t = await make({ gatewayUrl: stub.gatewayUrl, requestHeaders: () => ({ 'x trace': 'v' }) });
      const error = await t.listServers().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayConfigError);
      expect((error as Error).message).toContain('"x trace": not a valid HTTP header name');
      expect(await stub.requests()).toHaveLength(0);
    });

    it('secret-named headers are held as secrets: the gateway echoing one shows it redacted', async () => {
      const stub = await scenario({
        routes: [{ path: '/api/v1/servers/x', status: 500, json: { detail: 'saw gw-token-4f9a2c7e1b' } }],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl, headers: { 'X-Gateway-Token': 'gw-token-4f9a2c7e1b' } });
      const error = (await t.getServer('x').catch((e: unknown) => e)) as GatewayHttpError;
      expect(error).toBeInstanceOf(GatewayHttpError);
      expect(error.body).toContain('saw [REDACTED]');
      expect(JSON.stringify(error.toJSON())).not.toContain('gw-token-4f9a2c7e1b');
      expect((await stub.requests())[0]?.headers['x-gateway-token']).toBe('gw-token-4f9a2c7e1b');
    });
  });

  describe('pagination', () => {
    it('without total: stops at the first short page (an exact multiple needs one empty page)', async () => {
      const stub = await scenario({ servers: { count: 300, withTotal: false } });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const all = await t.listAllServers({ pageSize: 100 });
      expect(all.map((s) => s.serverId)).toEqual(Array.from({ length: 300 }, (_, i) => `id-${i}`));
      expect((await stub.requests()).map((r) => r.query['offset'])).toEqual(['0', '100', '200', '300']);
    });

    it('with total: stops at total without the empty page', async () => {
      const stub = await scenario({ servers: { count: 300, withTotal: true } });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      expect(await t.listAllServers({ pageSize: 100 })).toHaveLength(300);
      expect(await stub.requests()).toHaveLength(3);
    });

    it('10 000 servers with total, page size above the cap: limit 1000, pages in order', async () => {
      const stub = await scenario({ servers: { count: 10_000, withTotal: true } });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const all = await t.listAllServers({ pageSize: 5000 });
      expect(all).toHaveLength(10_000);
      expect(all.every((s, i) => s.serverId === `id-${i}`)).toBe(true);
      const requests = await stub.requests();
      expect(requests).toHaveLength(10);
      expect(new Set(requests.map((r) => r.query['limit']))).toEqual(new Set(['1000']));
    });

    it('10 000 tools without total, sequentially', async () => {
      const stub = await scenario({ tools: { count: 10_000, withTotal: false } });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      expect(await t.listAllTools({ pageSize: 1000 })).toHaveLength(10_000);
      expect(await stub.requests()).toHaveLength(11);
    });

    it('a total of 1e12 for 150 servers: paging stops at the short page', async () => {
      const stub = await scenario({ servers: { count: 150, withTotal: true, claimTotal: 1e12 } });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      expect(await t.listAllServers({ pageSize: 100 })).toHaveLength(150);
      // The first page, then one concurrent wave of at most PAGE_CONCURRENCY pages, never more.
      expect((await stub.requests()).length).toBeLessThanOrEqual(5);
      const iterated: string[] = [];
      for await (const s of t.iterateServers({ pageSize: 100 })) iterated.push(s.serverId);
      expect(iterated).toHaveLength(150);
    });

    it.each([
      [
        'the same full page forever (offset ignored)',
        { count: 500, withTotal: false, ignoreOffset: true },
        'repeats the one before it',
      ],
      [
        'the same full page forever, with a total',
        { count: 500, withTotal: true, ignoreOffset: true },
        'repeats the one before it',
      ],
      [
        '10 000 servers per page (limit ignored)',
        { count: 10_000, withTotal: false, ignoreLimit: 10_000 },
        'answered 10000 items for a limit of 100',
      ],
    ])('%s is a GatewayProtocolError, never a silent result', async (_what, servers, message) => {
      const stub = await scenario({ servers });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      await expect(t.listAllServers({ pageSize: 100 })).rejects.toThrow(message);
      const iterate = async () => {
        for await (const _ of t.iterateServers({ pageSize: 100 })) void _;
      };
      await expect(iterate()).rejects.toThrow(GatewayProtocolError);
      expect((await stub.requests()).length).toBeLessThanOrEqual(12);
    });

    it('a ceiling on pages ends with a GatewayProtocolError', async () => {
      const stub = await scenario({ servers: { count: 1000, withTotal: false } });
      const t = await make({ gatewayUrl: stub.gatewayUrl, maxPages: 3 });
      await expect(t.listAllServers({ pageSize: 100 })).rejects.toThrow('more than maxPages (3) pages');
    });

    it('iterateServers loads pages lazily', async () => {
      const stub = await scenario({ servers: { count: 1000, withTotal: true } });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const seen: string[] = [];
      for await (const s of t.iterateServers({ pageSize: 100 })) {
        seen.push(s.serverId);
        if (seen.length === 150) break;
      }
      expect(seen[149]).toBe('id-149');
      expect(await stub.requests()).toHaveLength(2);
    });
  });

  describe('cache', () => {
    it('serves a repeated list from the cache and counts hits and misses', async () => {
      const stub = await scenario({ servers: { count: 5, withTotal: true } });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const first = await t.listServers();
      for (let i = 0; i < 9; i++) expect(await t.listServers()).toBe(first);
      expect(await stub.requests()).toHaveLength(1);
      expect(t.getMetrics()).toMatchObject({
        cacheHits: 9,
        cacheMisses: 1,
        cacheHitRate: 0.9,
        cacheSize: 1,
        requests: 1,
      });
      expect(Object.isFrozen(first)).toBe(true);
      expect(Object.isFrozen(first[0])).toBe(true);
      t.clearCache();
      await t.listServers();
      expect(await stub.requests()).toHaveLength(2);
      expect(t.getMetrics().cacheMisses).toBe(2);
    });

    it('keeps users apart: another token is another entry', async () => {
      const stub = await scenario({ servers: { count: 1, withTotal: true } });
      const t = await make({ gatewayUrl: stub.gatewayUrl, apiKey: 'shared-key' });
      await t.listServers({ userToken: 'alice-token' });
      await t.listServers({ userToken: 'bob-token-xyz' });
      await t.listServers({ userToken: 'alice-token' });
      await t.listServers();
      const auth = (await stub.requests()).map((r) => r.headers['authorization']);
      expect(auth).toEqual(['Bearer alice-token', 'Bearer bob-token-xyz', undefined]);
    });

    it('coalesces 20 concurrent identical misses into one request', async () => {
      const stub = await scenario({
        routes: [{ path: '/api/v1/servers', json: { servers: [wireServer(1)] }, delayMs: 50 }],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const results = await Promise.all(Array.from({ length: 20 }, () => t.listServers()));
      expect(new Set(results).size).toBe(1);
      expect(await stub.requests()).toHaveLength(1);
      expect(t.getMetrics()).toMatchObject({ cacheMisses: 1, cacheHits: 19 });
    });

    it('a waiter that aborts leaves the shared request to the others', async () => {
      const stub = await scenario({
        routes: [{ path: '/api/v1/servers', json: { servers: [wireServer(1)] }, delayMs: 100 }],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const controller = new AbortController();
      const quitter = t.listServers({ signal: controller.signal });
      const stayer = t.listServers();
      controller.abort(new Error('not interested'));
      await expect(quitter).rejects.toThrow('not interested');
      await expect(stayer).resolves.toHaveLength(1);
      expect(await stub.requests()).toHaveLength(1);
    });

    it('is bounded (LRU) by maxEntries', async () => {
      const stub = await scenario({ servers: { count: 50, withTotal: true } });
      const t = await make({ gatewayUrl: stub.gatewayUrl, cache: { maxEntries: 2 } });
      await t.listServers({ page: 1, pageSize: 10 });
      await t.listServers({ page: 2, pageSize: 10 });
      await t.listServers({ page: 1, pageSize: 10 }); // refreshes page 1
      await t.listServers({ page: 3, pageSize: 10 }); // evicts page 2
      expect(t.getMetrics().cacheSize).toBe(2);
      await t.listServers({ page: 1, pageSize: 10 });
      await t.listServers({ page: 2, pageSize: 10 });
      expect((await stub.requests()).map((r) => r.query['offset'])).toEqual(['0', '10', '20', '10']);
    });

    it('expires entries after ttlMs', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const stub = await scenario({ servers: { count: 1, withTotal: true } });
      const t = await make({ gatewayUrl: stub.gatewayUrl, cache: { ttlMs: 60_000 } });
      await t.listServers();
      vi.setSystemTime(Date.now() + 59_999);
      await t.listServers();
      expect(await stub.requests()).toHaveLength(1);
      vi.setSystemTime(Date.now() + 2);
      await t.listServers();
      expect(await stub.requests()).toHaveLength(2);
    });

    it('can be switched off', async () => {
      const stub = await scenario({ servers: { count: 1, withTotal: true } });
      const t = await make({ gatewayUrl: stub.gatewayUrl, cache: { enabled: false } });
      await t.listServers();
      await t.listServers();
      expect(await stub.requests()).toHaveLength(2);
    });
  });

  describe('errors', () => {
    it.each([400, 401, 403, 404, 500, 503])(
      'HTTP %i is a GatewayHttpError with status, method, URL and body excerpt',
      async (status) => {
        const stub = await scenario({
          routes: [{ path: '/api/v1/servers/x', status, json: { detail: `failure ${status}` } }],
        });
        const t = await make({ gatewayUrl: stub.gatewayUrl });
        const error = (await t.getServer('x').catch((e: unknown) => e)) as GatewayHttpError;
        expect(error).toBeInstanceOf(GatewayHttpError);
        expect(error).toMatchObject({
          status,
          method: 'GET',
          url: `${stub.gatewayUrl}/api/v1/servers/x`,
          retryAfterMs: null,
        });
        expect(error.body).toContain(`failure ${status}`);
        expect(error.message).toContain(`HTTP ${status}`);
      },
    );

    it('HTTP 429 carries Retry-After in ms (seconds and HTTP date)', async () => {
      const date = new Date(Date.now() + 30_000).toUTCString();
      const stub = await scenario({
        routes: [
          { path: '/api/v1/servers', status: 429, headers: { 'retry-after': '7' }, json: {}, times: 1 },
          { path: '/api/v1/servers', status: 503, headers: { 'retry-after': date }, json: {} },
        ],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl, cache: { enabled: false } });
      await expect(t.listServers()).rejects.toMatchObject({ status: 429, retryAfterMs: 7000 });
      const error = (await t.listServers().catch((e: unknown) => e)) as GatewayHttpError;
      expect(error.retryAfterMs).toBeGreaterThan(25_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    });

    it('a non-JSON 2xx and a schema mismatch are protocol errors', async () => {
      const stub = await scenario({
        routes: [
          { path: '/api/v1/servers', raw: '<html>gateway</html>' },
          { path: '/api/v1/tools', json: { tools: [{ tool_name: 't', server_name: 's' }] } },
        ],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      await expect(t.listServers()).rejects.toThrow(
        new GatewayProtocolError({
          message:
            'GET /api/v1/servers?offset=0&limit=100: the answer is an HTML page, not JSON (another API lives at ' +
            'this URL)',
        }),
      );
      const error = (await t.listTools().catch((e: unknown) => e)) as GatewayProtocolError;
      expect(error).toBeInstanceOf(GatewayProtocolError);
      expect(error.field).toBe('tools[0].description');
    });

    it('stops downloading a response larger than maxResponseBytes', async () => {
      const stub = await scenario({ routes: [{ path: '/api/v1/servers', streamBytes: 64 * 1024 * 1024 }] });
      const t = await make({ gatewayUrl: stub.gatewayUrl, maxResponseBytes: 256 * 1024 });
      const error = await t.listServers().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayProtocolError);
      expect((error as Error).message).toContain('exceeds maxResponseBytes (262144)');
      await expect.poll(async () => (await stub.requests())[0]?.aborted).toBe(true);
      const [request] = await stub.requests();
      expect(request?.bytesWritten).toBeLessThan(16 * 1024 * 1024);
    });

    it('an endless error answer: the error carries an excerpt, and the download stops', async () => {
      const stub = await scenario({
        routes: [{ path: '/api/v1/servers', status: 503, streamBytes: 64 * 1024 * 1024 }],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const error = await t.listServers().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayHttpError);
      expect((error as GatewayHttpError).status).toBe(503);
      expect((error as GatewayHttpError).body.length).toBeGreaterThan(100);
      expect((error as GatewayHttpError).body.length).toBeLessThanOrEqual(1025);
      await expect.poll(async () => (await stub.requests())[0]?.aborted).toBe(true);
      const [request] = await stub.requests();
      expect(request?.bytesWritten).toBeLessThan(16 * 1024 * 1024);
    });

    it('a request waiting for a connection times out on time', async () => {
      const stub = await scenario({ routes: [{ path: '/api/v1/servers', delayMs: 3000, json: {} }] });
      const t = await make({ gatewayUrl: stub.gatewayUrl, maxConnections: 1, timeoutMs: 1000 });
      const busy = t.listServers({ page: 1 }).catch((e: unknown) => e);
      await expect.poll(async () => (await stub.requests()).length).toBe(1);
      const started = Date.now();
      const queued = await t.listServers({ page: 2, timeoutMs: 100 }).catch((e: unknown) => e);
      expect(queued).toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeLessThan(1_500); // the busy request answers after 3 s; typical is ≈ 100 ms
      await t.close();
      expect(await busy).toBeInstanceOf(ClientClosedError);
    });

    it('a server closing the socket mid-body is a network error', async () => {
      const stub = await scenario({ routes: [{ path: '/api/v1/servers', closeMidBody: true }] });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      await expect(t.listServers()).rejects.toBeInstanceOf(GatewayNetworkError);
    });

    it('connection refused is a network error', async () => {
      const t = await make({ gatewayUrl: 'http://127.0.0.1:9' });
      await expect(t.listServers()).rejects.toBeInstanceOf(GatewayNetworkError);
    });

    it('a timeout aborts the request on the server side too', async () => {
      const stub = await scenario({ routes: [{ path: '/api/v1/servers', delayMs: 3000, json: {} }] });
      const t = await make({ gatewayUrl: stub.gatewayUrl, timeoutMs: 100 });
      const error = await t.listServers().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).timeoutMs).toBe(100);
      await expect.poll(async () => (await stub.requests())[0]?.aborted).toBe(true);
      expect(t.getMetrics()).toMatchObject({ inFlight: 0, errors: 1 });
    });

    it('a per-call timeoutMs overrides the default', async () => {
      const stub = await scenario({ routes: [{ method: 'POST', path: '/api/v1/invoke', delayMs: 3000, json: {} }] });
      const t = await make({ gatewayUrl: stub.gatewayUrl, timeoutMs: 60_000 });
      await expect(t.invoke({ serverName: 's', toolName: 't', timeoutMs: 50 })).rejects.toMatchObject({
        timeoutMs: 50,
      });
    });

    it('an abort signal rejects with its reason and aborts the request', async () => {
      const stub = await scenario({ routes: [{ method: 'POST', path: '/api/v1/invoke', delayMs: 3000, json: {} }] });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const controller = new AbortController();
      const pending = t.invoke({ serverName: 's', toolName: 't', signal: controller.signal });
      await expect.poll(async () => (await stub.requests()).length).toBe(1);
      controller.abort(new Error('caller cancelled'));
      await expect(pending).rejects.toThrow('caller cancelled');
      await expect.poll(async () => (await stub.requests())[0]?.aborted).toBe(true);
    });

    it('no secret appears in an error', async () => {
      const stub = await scenario({
        routes: [
          {
            path: '/api/v1/servers',
            status: 401,
            raw: 'bad credentials: api key sk-secret-key-9 and token tok-user-secret',
          },
        ],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl, apiKey: 'sk-secret-key-9' });
      const error = (await t
        .listServers({ userToken: 'tok-user-secret' })
        .catch((e: unknown) => e)) as GatewayHttpError;
      expect(error.status).toBe(401);
      const text = `${error.message} ${error.stack} ${JSON.stringify(error)} ${error.body}`;
      expect(text).not.toContain('sk-secret-key-9');
      expect(text).not.toContain('tok-user-secret');
    });
  });

  describe('redirects', () => {
    it('follows a same-origin redirect', async () => {
      const stub = await scenario({
        routes: [
          { path: '/api/v1/servers/old', status: 301, headers: { location: 'new' }, json: {} },
          { path: '/api/v1/servers/new', json: wireServer(2) },
        ],
      });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      await expect(t.getServer('old')).resolves.toMatchObject({ serverId: 'id-2' });
    });

    it('does not follow a redirect to another origin', async () => {
      const stub = await scenario({
        routes: [{ path: '/api/v1/servers/x', status: 302, json: {}, headers: { location: '' } }],
      });
      const other = stub.gatewayUrl.replace('127.0.0.1', 'localhost');
      const redirecting = await scenario({
        routes: [
          {
            path: '/api/v1/servers/x',
            status: 302,
            json: {},
            headers: { location: `${other}/api/v1/servers/elsewhere` },
          },
        ],
      });
      const t = await make({ gatewayUrl: redirecting.gatewayUrl, apiKey: 'do-not-leak-key' });
      await expect(t.getServer('x')).rejects.toMatchObject({ status: 302 });
      expect(await stub.requests()).toHaveLength(0);
    });
  });

  describe('close', () => {
    it('aborts in-flight requests and refuses later calls with ClientClosedError', async () => {
      const stub = await scenario({ routes: [{ path: '/api/v1/servers', delayMs: 3000, json: {} }] });
      const t = await make({ gatewayUrl: stub.gatewayUrl });
      const pending = t.listServers().catch((e: unknown) => e);
      await expect.poll(async () => (await stub.requests()).length).toBe(1);
      await t.close();
      expect(await pending).toBeInstanceOf(ClientClosedError);
      await expect(t.listServers()).rejects.toBeInstanceOf(ClientClosedError);
      await expect(t.invoke({ serverName: 's', toolName: 't' })).rejects.toBeInstanceOf(ClientClosedError);
      await t.close();
    });
  });
});
