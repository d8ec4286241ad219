import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  CircuitBreakerError,
  ClientClosedError,
  GatewayClient,
  GatewayConfigError,
  GatewayHttpError,
  PermissionError,
  RetryExhaustedError,
  TimeoutError,
  TransportMode,
  TransportNotAvailableError,
  localPolicy,
  withTimeout,
  type GatewayClientOptions,
} from '@sark/gateway';
import { API_KEY, everythingArgs, jwt, served, useTestGateway } from './helpers';

const setup = useTestGateway();
const client = (options: Partial<GatewayClientOptions> = {}) => setup.client(options);

describe('every method, end to end', () => {
  it('discovery: listServers, listAllServers, iterateServers, getServerInfo, listTools, listAllTools', async () => {
    const c = client();
    const page = await c.listServers({ page: 1, pageSize: 10 });
    expect(page).toHaveLength(10);
    expect(page[0]).toMatchObject({ serverName: 'synthetic-00000', healthStatus: 'healthy' });
    const all = await c.listAllServers({ pageSize: 7 });
    expect(all).toHaveLength(31);
    const iterated: string[] = [];
    for await (const server of c.iterateServers({ pageSize: 8 })) iterated.push(server.serverName);
    expect(iterated).toEqual(all.map((s) => s.serverName));
    await expect(c.getServerInfo('everything')).resolves.toMatchObject({
      serverName: 'everything',
      serverUrl: 'stdio://everything',
    });
    const error = await c.getServerInfo('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect((error as GatewayHttpError).status).toBe(404);
    const tools = await c.listTools({ serverName: 'everything' });
    expect(tools.map((t) => t.toolName)).toContain('echo');
    expect(await c.listAllTools({ pageSize: 20 })).toHaveLength(tools.length + 30 * 3);
  });

  it('invokeTool runs a real MCP tool through the gateway', async () => {
    const result = await client().invokeTool({
      serverName: 'everything',
      toolName: 'echo',
      parameters: { message: 'end to end' },
    });
    expect(result).toEqual({ status: 'success', result: { content: [{ type: 'text', text: 'Echo: end to end' }] } });
  });

  it('streamEvents yields the gateway’s events for an invocation', async () => {
    const c = client();
    const stream = c.streamEvents({ eventTypes: ['tool_invoked'] });
    const first = stream.next();
    await expect.poll(() => c.getMetrics().sse?.connectionsMade).toBe(1); // subscribed: the gateway sent its headers
    await c.invokeTool({ serverName: 'everything', toolName: 'get-sum', parameters: { a: 20, b: 22 } });
    const event = (await first).value;
    expect(event?.eventType).toBe('tool_invoked');
    expect(event?.json()).toMatchObject({ server_name: 'everything', tool_name: 'get-sum', status: 'success' });
    await stream.return?.();
    expect(c.getMetrics().sse?.activeStreams).toBe(0);
  });

  it('connectLocalServer / disconnectLocalServer', async () => {
    const c = client();
    const server = await c.connectLocalServer({
      command: process.execPath,
      args: everythingArgs(),
      serverId: 'local-everything',
    });
    expect(server.serverInfo?.name).toBe('mcp-servers/everything');
    await expect(server.callTool('echo', { message: 'local' })).resolves.toMatchObject({
      content: [{ text: 'Echo: local' }],
    });
    await expect(
      c.connectLocalServer({ command: process.execPath, args: everythingArgs(), serverId: 'local-everything' }),
    ).rejects.toBeInstanceOf(GatewayConfigError);
    expect(c.getMetrics().stdioServersCount).toBe(1);
    const health = await c.healthCheck();
    expect(health.stdio).toEqual({ 'local-everything': { status: 'running', pid: server.pid, responsive: true } });
    await c.disconnectLocalServer('local-everything');
    expect(server.isRunning).toBe(false);
    expect(c.getMetrics().stdioServersCount).toBe(0);
  });

  it('connectLocalServer takes every LocalServer option (here maxMessageBytes and clientInfo)', async () => {
    const c = client();
    const server = await c.connectLocalServer({
      command: process.execPath,
      args: everythingArgs(),
      serverId: 'small',
      maxMessageBytes: 2048,
      clientInfo: { name: 'tiny', version: '1.0.0' },
    });
    await expect(server.callTool('echo', { message: 'fits' })).resolves.toMatchObject({
      content: [{ text: 'Echo: fits' }],
    });
    await expect(server.callTool('echo', { message: 'x'.repeat(4096) })).rejects.toThrow(/2048/);
    await c.disconnectLocalServer('small');
  });
});

describe('transport modes', () => {
  it('AUTO creates transports lazily, once', async () => {
    const c = client();
    expect(c.getMetrics().activeTransports).toEqual([]);
    await c.listServers();
    await c.listTools();
    expect(c.getMetrics().activeTransports).toEqual(['http']);
  });

  it('the *_ONLY modes refuse other transports before any I/O', async () => {
    const before = served(setup.gw, 'GET /api/v1/servers');
    const sseOnly = client({ transportMode: TransportMode.SSE_ONLY });
    await expect(sseOnly.listServers()).rejects.toBeInstanceOf(TransportNotAvailableError);
    await expect(sseOnly.invokeTool({ serverName: 'everything', toolName: 'echo' })).rejects.toBeInstanceOf(
      TransportNotAvailableError,
    );
    expect(() => client({ transportMode: TransportMode.HTTP_ONLY }).streamEvents()).toThrow(TransportNotAvailableError);
    await expect(
      client({ transportMode: TransportMode.HTTP_ONLY }).connectLocalServer({ command: 'x' }),
    ).rejects.toThrow(TransportNotAvailableError);
    const stdioOnly = client({ gatewayUrl: undefined, apiKey: undefined, transportMode: TransportMode.STDIO_ONLY });
    await expect(stdioOnly.getServerInfo('everything')).rejects.toMatchObject({
      code: 'ERR_TRANSPORT_NOT_AVAILABLE',
      transport: 'http',
    });
    expect(served(setup.gw, 'GET /api/v1/servers')).toBe(before);
    expect(sseOnly.getMetrics().activeTransports).toEqual([]);
  });

  it('HTTP operations without gatewayUrl are a config error', async () => {
    await expect(new GatewayClient({}).listServers()).rejects.toThrow('gatewayUrl is required for HTTP operations');
  });
});

describe('error handling', () => {
  it('retries a 503 and then succeeds: exact request count', async () => {
    const c = client({ cache: { enabled: false } });
    const before = served(setup.gw, 'GET /api/v1/servers');
    setup.gw.setFaults({ failNext: 2 });
    await expect(c.listServers()).resolves.toHaveLength(31);
    expect(served(setup.gw, 'GET /api/v1/servers') - before).toBe(3);
  });

  it('does not retry 404, 401 or a policy denial', async () => {
    const before404 = served(setup.gw, 'GET /api/v1/servers/{name}');
    await expect(client().getServerInfo('missing')).rejects.toMatchObject({ status: 404 });
    expect(served(setup.gw, 'GET /api/v1/servers/{name}') - before404).toBe(1);

    const beforeList = served(setup.gw, 'GET /api/v1/servers');
    await expect(client({ apiKey: 'wrong-key-xyz' }).listServers()).rejects.toMatchObject({ status: 401 });
    expect(served(setup.gw, 'GET /api/v1/servers') - beforeList).toBe(1);

    const beforeInvoke = served(setup.gw, 'POST /api/v1/invoke');
    const denying = client({ opaClient: localPolicy(() => ({ allow: false, reason: 'Denied: not today' })) });
    const error = await denying
      .invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'x' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect((error as PermissionError).reason).toBe('Denied: not today');
    expect(served(setup.gw, 'POST /api/v1/invoke')).toBe(beforeInvoke);
  });

  it('an invocation is retried with the same Idempotency-Key and executed once', async () => {
    const c = client();
    const beforeCalls = served(setup.gw, 'POST /api/v1/invoke');
    const beforeExecuted = setup.gw.executed.get('synthetic-00001/tool_0') ?? 0;
    setup.gw.setFaults({ slowNext: 1, slowNextMs: 400 });
    const result = await c.invokeTool({
      serverName: 'synthetic-00001',
      toolName: 'tool_0',
      parameters: { value: 'once' },
      timeoutMs: 150,
    });
    expect(result).toMatchObject({ status: 'success' });
    expect(served(setup.gw, 'POST /api/v1/invoke') - beforeCalls).toBe(2);
    // An absence check, so a wait rather than a poll: had the gateway run the abandoned first attempt after its 400 ms
    // delay, the count would now be 2.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(setup.gw.executed.get('synthetic-00001/tool_0')).toBe(beforeExecuted + 1);
  });

  it('the breaker opens after 5 failing operations, rejects without I/O, then half-opens and closes', async () => {
    const c = client({
      retry: { maxAttempts: 1 },
      circuitBreaker: { resetTimeoutMs: 200, successThreshold: 2 },
      cache: { enabled: false },
    });
    setup.gw.setFaults({ errorRate: 1, errorStatus: 503 });
    for (let i = 0; i < 5; i++) await expect(c.listServers()).rejects.toBeInstanceOf(RetryExhaustedError);
    expect(c.getMetrics().errorHandler?.circuitBreaker.state).toBe('open');
    const before = served(setup.gw, 'GET /api/v1/servers');
    await expect(c.listServers()).rejects.toBeInstanceOf(CircuitBreakerError);
    expect(served(setup.gw, 'GET /api/v1/servers')).toBe(before);
    expect((await c.healthCheck()).status).toBe('degraded');
    setup.gw.setFaults({});
    await expect.poll(() => c.getMetrics().errorHandler?.circuitBreaker.state).toBe('half_open');
    await c.listServers();
    await c.listServers();
    expect(c.getMetrics().errorHandler?.circuitBreaker).toMatchObject({ state: 'closed', stateChanges: 3 });
  });

  it('per-call timeoutMs, and withTimeout for one operation', async () => {
    const c = client({ retry: { maxAttempts: 2, initialDelayMs: 10 } });
    setup.gw.setFaults({ latencyMs: 300 });
    const error = (await c
      .invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'slow' }, timeoutMs: 50 })
      .catch((e: unknown) => e)) as RetryExhaustedError;
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error.cause).toBeInstanceOf(TimeoutError);
    expect((error.cause as TimeoutError).timeoutMs).toBe(50);
    await expect(withTimeout((signal) => c.getServerInfo('everything', { signal }), 30)).rejects.toThrow(
      'Operation timed out after 30 ms',
    );
  });

  it('enableErrorHandling: false surfaces raw errors with no retry', async () => {
    const c = client({ enableErrorHandling: false, cache: { enabled: false } });
    const before = served(setup.gw, 'GET /api/v1/servers');
    setup.gw.setFaults({ failNext: 1 });
    await expect(c.listServers()).rejects.toMatchObject({ status: 503 });
    expect(served(setup.gw, 'GET /api/v1/servers') - before).toBe(1);
    expect(c.getMetrics().errorHandler).toBeUndefined();
  });

  it('a breaker shared by two clients: one’s failures open it for both; closing one leaves it running', async () => {
    const shared = new CircuitBreaker({ failureThreshold: 2 });
    const a = client({ circuitBreaker: shared, retry: { maxAttempts: 1 }, cache: { enabled: false } });
    const b = client({ circuitBreaker: shared, cache: { enabled: false } });
    setup.gw.setFaults({ errorRate: 1, errorStatus: 503 });
    for (let i = 0; i < 2; i++) await expect(a.listServers()).rejects.toBeInstanceOf(RetryExhaustedError);
    setup.gw.setFaults({});
    const before = served(setup.gw, 'GET /api/v1/servers');
    await expect(b.listServers()).rejects.toBeInstanceOf(CircuitBreakerError);
    expect(served(setup.gw, 'GET /api/v1/servers')).toBe(before);
    expect(b.getMetrics().errorHandler?.circuitBreaker.state).toBe('open');
    await a.close();
    shared.reset();
    await expect(b.listServers()).resolves.toHaveLength(31);
    shared.close();
  });

  it('the caller’s retry.onRetry hears every retry, besides the client’s log line', async () => {
    const warnings: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (fields: unknown) => warnings.push(fields),
    };
    const retries: number[] = [];
    const c = client({
      logger,
      retry: { initialDelayMs: 1, onRetry: ({ attempt }) => retries.push(attempt) },
      cache: { enabled: false },
    });
    setup.gw.setFaults({ failNext: 2 });
    await expect(c.listServers()).resolves.toHaveLength(31);
    expect(retries).toEqual([1, 2]);
    expect(warnings).toHaveLength(2);
  });
});

describe('policy', () => {
  it('sends the policy’s filtered parameters, never the originals', async () => {
    const c = client({
      opaClient: localPolicy((input) => {
        const user = input['user'] as { roles: string[] };
        const parameters = input['parameters'] as Record<string, unknown>;
        const { password: _dropped, ...rest } = parameters;
        return { allow: user.roles.includes('dev'), reason: 'dev only', filtered_parameters: rest };
      }),
    });
    const result = (await c.invokeTool({
      userToken: jwt({ sub: 'd', roles: ['dev'] }),
      serverName: 'synthetic-00002',
      toolName: 'tool_0',
      parameters: { value: 'v', password: 'hunter2' },
    })) as {
      result: { content: { text: string }[] };
    };
    expect(JSON.parse(result.result.content[0]?.text ?? '')).toEqual({ value: 'v' });
    await expect(
      c.invokeTool({
        userToken: jwt({ sub: 'g', roles: ['guest'] }),
        serverName: 'synthetic-00002',
        toolName: 'tool_0',
      }),
    ).rejects.toBeInstanceOf(PermissionError);
  });
});

describe('health and metrics', () => {
  it('real values: cache hit rate 0.9 after 1 miss and 9 hits', async () => {
    const c = client();
    for (let i = 0; i < 10; i++) await c.listServers();
    const metrics = c.getMetrics();
    expect(metrics).toEqual({
      transportMode: 'auto',
      activeTransports: ['http'],
      http: { cacheHitRate: 0.9, cacheHits: 9, cacheMisses: 1, cacheSize: 1, requests: 1, inFlight: 0 },
      stdioServersCount: 0,
      remoteServersCount: 0,
      errorHandler: {
        circuitBreaker: {
          state: 'closed',
          failureCount: 0,
          successCount: 10,
          totalCalls: 10,
          totalFailures: 0,
          totalSuccesses: 10,
          failureRate: 0,
          stateChanges: 0,
          lastFailureTime: null,
        },
        retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 30_000 },
        defaultTimeoutMs: 30_000,
      },
    });
    const health = await c.healthCheck();
    expect(health.status).toBe('healthy');
    expect(health.http).toMatchObject({ status: 'healthy', cacheHitRate: 0.9 });
    expect(health.http?.latencyMs).toBeGreaterThan(0);
    expect(health.errorHandler?.circuitBreaker.state).toBe('closed');
    c.clearCache();
    await c.listServers();
    expect(c.getMetrics().http).toMatchObject({ cacheMisses: 2, requests: 3 }); // + the health check's GET /health
  });

  it('an unreachable gateway is unhealthy, without throwing', async () => {
    const health = await client({ gatewayUrl: 'http://127.0.0.1:9' }).healthCheck();
    expect(health.status).toBe('unhealthy');
    expect(health.http?.status).toBe('unhealthy');
  });
});

describe('concurrency and closing', () => {
  it('100 getServerInfo at once with maxConnections 10', async () => {
    const c = client({ maxConnections: 10 });
    const names = Array.from({ length: 100 }, (_, i) => `synthetic-${String(i % 30).padStart(5, '0')}`);
    const servers = await Promise.all(names.map((name) => c.getServerInfo(name)));
    expect(servers.map((s) => s.serverName)).toEqual(names);
  });

  it('close aborts in-flight work; afterwards calls reject with ClientClosedError', async () => {
    const c = client();
    setup.gw.setFaults({ latencyMs: 1000 });
    const before = served(setup.gw, 'GET /api/v1/servers');
    const pending = c.listServers().catch((e: unknown) => e);
    await expect.poll(() => served(setup.gw, 'GET /api/v1/servers')).toBe(before + 1); // in flight at the gateway
    await c.close();
    expect(await pending).toBeInstanceOf(ClientClosedError);
    await expect(c.listServers()).rejects.toBeInstanceOf(ClientClosedError);
    expect(() => c.streamEvents()).toThrow(ClientClosedError);
    await expect(c.healthCheck()).rejects.toBeInstanceOf(ClientClosedError);
    await c.close();
  });
});
