import { describe, expect, it } from 'vitest';
import {
  ClientClosedError,
  GatewayClient,
  GatewayConfigError,
  OPAClient,
  type GatewayClientOptions,
} from '@sark/gateway';
import { API_KEY, served, useTestGateway } from './helpers';
import { hostileServer, sendJson } from '@sark/test-support/hostile-server';

const setup = useTestGateway();
const client = (options: Partial<GatewayClientOptions> = {}) => setup.client(options);

describe('bad options are a GatewayConfigError when the client is made', () => {
  it.each<[string, unknown, string]>([
    ['gatewayUrl missing in an object', { gatewayUrl: {} }, 'gatewayUrl: must be an http(s) URL string, got object'],
    ['gatewayUrl null', { gatewayUrl: null }, 'gatewayUrl: must be an http(s) URL string, got null'],
    ['gatewayUrl a number', { gatewayUrl: 8080 }, 'gatewayUrl: must be an http(s) URL string, got number'],
    ['retry.maxAttempts 0', { retry: { maxAttempts: 0 } }, 'retry.maxAttempts: must be an integer ≥ 1, got 0'],
    [
      'retry.maxAttempts NaN',
      { retry: { maxAttempts: Number.NaN } },
      'retry.maxAttempts: must be an integer ≥ 1, got NaN',
    ],
    [
      'circuitBreaker.failureThreshold -1',
      { circuitBreaker: { failureThreshold: -1 } },
      'circuitBreaker.failureThreshold: must be an integer ≥ 1, got -1',
    ],
    ['cache.maxEntries -1', { cache: { maxEntries: -1 } }, 'cache.maxEntries: must be an integer ≥ 1, got -1'],
    ['cache.ttlMs NaN', { cache: { ttlMs: Number.NaN } }, 'cache.ttlMs: must be a number > 0, got NaN'],
    ['timeoutMs "abc"', { timeoutMs: 'abc' }, 'timeoutMs: must be a number > 0, got a string'],
    ['maxConnections 0', { maxConnections: 0 }, 'maxConnections: must be an integer ≥ 1, got 0'],
    ['an opaClient without evaluate', { opaClient: {} }, 'opaClient.evaluate: must be a function'],
    // Options that are not objects were read as "no options" before: silently, all defaults.
    ['retry a number', { retry: 5 }, 'retry: must be an object, got 5'],
    ['circuitBreaker an array', { circuitBreaker: [] }, 'circuitBreaker: must be an object, got an array'],
    ['cache a string', { cache: 'off' }, 'cache: must be an object, got a string'],
  ])('%s', (_what, options, message) => {
    expect(
      () => new GatewayClient({ gatewayUrl: 'http://127.0.0.1:9', ...(options as object) } as GatewayClientOptions),
    ).toThrow(GatewayConfigError);
    expect(
      () => new GatewayClient({ gatewayUrl: 'http://127.0.0.1:9', ...(options as object) } as GatewayClientOptions),
    ).toThrow(message);
  });

  it.each<[string, unknown]>([
    ['NaN', Number.NaN],
    ['"abc"', 'abc'],
    ['-5', -5],
    ['0', 0],
  ])('a per-call timeoutMs of %s is refused before anything is sent, never retried', async (_what, timeoutMs) => {
    const c = client();
    const before = served(setup.gw, 'POST /api/v1/invoke');
    const error = await c
      .invokeTool({
        serverName: 'everything',
        toolName: 'echo',
        parameters: { message: 'x' },
        timeoutMs: timeoutMs as number,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayConfigError);
    expect((error as Error).message).toContain('invokeTool: timeoutMs: must be a number > 0');
    expect(served(setup.gw, 'POST /api/v1/invoke')).toBe(before);
    expect(c.getMetrics().errorHandler?.circuitBreaker.totalCalls).toBe(0);
  });
});

describe('close() settles everything, at once', () => {
  it('a call waiting out a 5 s Retry-After rejects with ClientClosedError at close(), not after it', async () => {
    const gateway = await hostileServer((_req, res) => sendJson(res, 503, { detail: 'busy' }, { 'retry-after': '5' }));
    let waiting = false;
    const c = client({ gatewayUrl: gateway.url, retry: { onRetry: () => (waiting = true) } });
    try {
      const pending = c.listServers().catch((e: unknown) => e);
      await expect.poll(() => waiting).toBe(true); // the 5 s wait has begun
      expect(gateway.requests).toHaveLength(1);
      const started = performance.now();
      await c.close();
      const error = await pending;
      expect(performance.now() - started).toBeLessThan(2_500); // half the wait: typical is under a millisecond
      expect(error).toBeInstanceOf(ClientClosedError);
      expect(gateway.requests).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it('an invocation waiting for OPA rejects with ClientClosedError when the client closes', async () => {
    const opa = await hostileServer(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      sendJson(res, 200, { result: true });
    });
    const c = client({ opaClient: new OPAClient({ opaUrl: opa.url, timeoutMs: 10_000 }) });
    try {
      const pending = c
        .invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'x' } })
        .catch((e: unknown) => e);
      await expect.poll(() => opa.requests.length).toBe(1);
      await c.close();
      expect(await pending).toBeInstanceOf(ClientClosedError);
    } finally {
      await opa.close();
    }
  });
});

describe('paging trusts no gateway', () => {
  it('iterateServers stops at total (5), even when the gateway sends full pages of 100', async () => {
    const servers = Array.from({ length: 100 }, (_, i) => ({
      server_id: `id-${i}`,
      server_name: `s-${i}`,
      server_url: 'stdio://s',
      health_status: 'healthy',
      tools_count: 0,
    }));
    const gateway = await hostileServer((_req, res) => sendJson(res, 200, { servers, total: 5 }));
    try {
      const seen: string[] = [];
      for await (const server of client({ gatewayUrl: gateway.url }).iterateServers({ pageSize: 100 }))
        seen.push(server.serverId);
      expect(seen).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-4']);
      expect(gateway.requests).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it('iterateServers refuses a gateway that ignores offset', async () => {
    const servers = Array.from({ length: 10 }, (_, i) => ({
      server_id: `id-${i}`,
      server_name: `s-${i}`,
      server_url: 'stdio://s',
      health_status: 'healthy',
      tools_count: 0,
    }));
    const gateway = await hostileServer((_req, res) => sendJson(res, 200, { servers }));
    try {
      const iterate = async () => {
        for await (const _ of client({ gatewayUrl: gateway.url }).iterateServers({ pageSize: 10 })) void _;
      };
      await expect(iterate()).rejects.toThrow('repeats the one before it');
      expect(gateway.requests).toHaveLength(2);
    } finally {
      await gateway.close();
    }
  });
});

describe('quiet under ordinary use', () => {
  it('50 concurrent invocations, with and without a caller signal, emit no process warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const c = client();
      const controller = new AbortController();
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          c.invokeTool({
            serverName: 'everything',
            toolName: 'echo',
            parameters: { message: `m${i}` },
            ...(i % 2 ? { signal: controller.signal } : {}),
          }),
        ),
      );
      await Promise.all(Array.from({ length: 50 }, () => c.listServers({ signal: controller.signal })));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
