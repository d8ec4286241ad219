import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermissionDeniedError, localPolicy } from '@sark/gateway';
import { everythingArgs, jwt, useTestGateway } from './helpers';

const setup = useTestGateway();
const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  otel.trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }),
  );
  otel.context.setGlobalContextManager(contextManager.enable());
  otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  otel.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(() => {
  otel.trace.disable();
  otel.context.disable();
  otel.propagation.disable();
  otel.metrics.disable();
});
beforeEach(() => spans.reset());

const SECRET_PARAMETER = 'sk-parameter-secret-123456';
const policy = localPolicy((input) => {
  if (input['tool_name'] === 'get-sum') return { allow: false, reason: 'Denied: no sums' };
  const { api_key: _removed, ...rest } = input['parameters'] as Record<string, unknown>;
  return { allow: true, filteredParameters: rest };
});

/** A fetch that records the headers of every request (the gateway is real; this only watches). */
function watchingFetch() {
  const headers: Record<string, string>[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    const seen: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (seen[name] = value));
    headers.push(seen);
    return fetch(input, init);
  };
  return { headers, fetchImpl };
}

describe('OpenTelemetry through @opentelemetry/api', () => {
  it('an invocation is one trace: the policy decision and each HTTP attempt are its children', async () => {
    const watched = watchingFetch();
    const client = setup.client({
      telemetry: otel,
      opaClient: policy,
      fetch: watched.fetchImpl,
      cache: { enabled: false },
    });
    const userToken = jwt({ sub: 'ana', roles: ['analyst'] });
    setup.gw.setFaults({ failNext: 1 });
    await client.invokeTool({
      serverName: 'everything',
      toolName: 'echo',
      parameters: { message: 'traced', api_key: SECRET_PARAMETER },
      userToken,
    });
    const finished = spans.getFinishedSpans();
    const root = finished.find((span) => span.name === 'execute_tool echo');
    expect(root?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'echo',
      'mcp.method.name': 'tools/call',
      'sark.server.name': 'everything',
      'sark.outcome': 'success',
      'server.address': '127.0.0.1',
    });
    const rootId = root?.spanContext().spanId;
    const children = finished.filter((span) => span.parentSpanContext?.spanId === rootId);
    expect(children.map((span) => span.name)).toEqual(['sark.authorize', 'POST', 'POST']);
    const [decision, first, second] = children;
    expect(decision?.attributes['sark.policy.decision']).toBe('allow');
    expect(first?.attributes).toMatchObject({
      'sark.attempt': 1,
      'error.type': 'GatewayHttpError',
      'http.response.status_code': 503,
    });
    expect(second?.attributes).toMatchObject({
      'sark.attempt': 2,
      'sark.outcome': 'success',
      'url.template': '/api/v1/invoke',
    });
    expect(first?.kind).toBe(otel.SpanKind.CLIENT);

    // Each attempt carried its own span's trace context to the gateway.
    const invokes = watched.headers.filter((headers) => headers['idempotency-key'] !== undefined);
    expect(invokes.map((headers) => headers['traceparent'])).toEqual(
      [first, second].map((span) => `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`),
    );
    // No parameter value, token or key in any span.
    const exported = JSON.stringify(finished.map((span) => [span.name, span.attributes, span.events]));
    for (const secret of [SECRET_PARAMETER, userToken, 'client-test-key', 'traced'])
      expect(exported).not.toContain(secret);
  });

  it('a denial is a denied span with no HTTP child; discovery calls have spans; metrics count by outcome', async () => {
    const client = setup.client({ telemetry: otel, opaClient: policy });
    await expect(
      client.invokeTool({ serverName: 'everything', toolName: 'get-sum', parameters: { a: 1, b: 2 } }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    await client.listAllServers();
    const finished = spans.getFinishedSpans();
    const denied = finished.find((span) => span.name === 'execute_tool get-sum');
    expect(denied?.attributes).toMatchObject({ 'sark.outcome': 'denied', 'error.type': 'PermissionDeniedError' });
    expect(denied?.status.code).toBe(otel.SpanStatusCode.ERROR);
    expect(
      finished.filter((span) => span.parentSpanContext?.spanId === denied?.spanContext().spanId).map((s) => s.name),
    ).toEqual(['sark.authorize']);
    expect(finished.some((span) => span.name === 'sark.listAllServers')).toBe(true);

    await reader.forceFlush();
    const points = metricExporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics)
      .flatMap((scope) => scope.metrics)
      .filter((metric) => metric.descriptor.name === 'sark.client.operations')
      .flatMap((metric) => metric.dataPoints as { attributes: Record<string, unknown>; value: unknown }[]);
    const count = (operation: string, outcome: string) =>
      points.find((p) => p.attributes['sark.operation'] === operation && p.attributes['sark.outcome'] === outcome)
        ?.value;
    expect(count('invokeTool', 'denied')).toBeGreaterThanOrEqual(1);
    expect(count('listAllServers', 'success')).toBeGreaterThanOrEqual(1);
  });

  it('MCP requests to local and remote servers are CLIENT spans; remote HTTP requests carry traceparent', async () => {
    const watched = watchingFetch();
    const client = setup.client({ telemetry: otel, fetch: watched.fetchImpl });
    const remote = await client.connectRemoteServer({ id: 'traced-remote', server: 'everything' });
    const local = await client.connectLocalServer({
      command: process.execPath,
      args: everythingArgs(),
      serverId: 'traced',
    });
    spans.reset();
    watched.headers.length = 0;
    await remote.callTool('echo', { message: 'remote secret value' });
    await local.callTool('echo', { message: 'local secret value' });
    const finished = spans.getFinishedSpans().filter((span) => span.name === 'tools/call echo');
    expect(finished.map((span) => span.attributes['network.transport'])).toEqual(['tcp', 'pipe']);
    expect(finished[0]?.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'echo',
      'mcp.session.id': remote.sessionId,
      'mcp.protocol.version': '2025-11-25',
      'sark.outcome': 'success',
    });
    expect(finished[0]?.kind).toBe(otel.SpanKind.CLIENT);
    const post = watched.headers.find((headers) => headers['mcp-session-id'] !== undefined);
    const remoteSpan = finished[0]?.spanContext();
    expect(post?.['traceparent']).toBe(`00-${remoteSpan?.traceId}-${remoteSpan?.spanId}-01`);
    expect(JSON.stringify(finished.map((span) => span.attributes))).not.toContain('secret value');
  });

  it('an event stream is one span for its lifetime; cache, breaker and reconnection facts are exported', async () => {
    const watched = watchingFetch();
    const client = setup.client({
      telemetry: otel,
      fetch: watched.fetchImpl,
      retry: { maxAttempts: 1 },
      circuitBreaker: { failureThreshold: 1 },
    });
    const stream = client.streamEvents({ eventTypes: ['tool_invoked'] });
    const first = stream.next();
    await expect.poll(() => client.getMetrics().sse?.connectionsMade).toBe(1);
    await client.invokeTool({ serverName: 'synthetic-00001', toolName: 'tool_0', parameters: { value: 'x' } });
    await first;
    await stream.return?.();
    const streamSpan = spans.getFinishedSpans().find((span) => span.name === 'sark.streamEvents');
    expect(streamSpan?.attributes).toMatchObject({ 'url.template': '/api/v1/events', 'sark.sse.events': 1 });
    expect(streamSpan?.kind).toBe(otel.SpanKind.CLIENT);
    // The stream's connection carried the stream span's trace context.
    const connection = watched.headers.find((headers) => headers['accept'] === 'text/event-stream');
    expect(connection?.['traceparent']).toBe(
      `00-${streamSpan?.spanContext().traceId}-${streamSpan?.spanContext().spanId}-01`,
    );

    await client.listServers();
    await client.listServers(); // a cache hit
    setup.gw.setFaults({ errorRate: 1, errorStatus: 503 });
    await expect(client.getServerInfo('everything')).rejects.toThrow();
    setup.gw.setFaults({});
    await reader.forceFlush();
    const metrics = [metricExporter.getMetrics().at(-1)]
      .flatMap((resource) => resource?.scopeMetrics ?? [])
      .flatMap((scope) => scope.metrics);
    const point = (name: string, key: string, value: string) =>
      metrics
        .filter((metric) => metric.descriptor.name === name)
        .flatMap((metric) => metric.dataPoints as { attributes: Record<string, unknown>; value: unknown }[])
        .find((p) => p.attributes[key] === value)?.value as number | undefined;
    expect(point('sark.client.cache.requests', 'sark.cache.result', 'hit')).toBeGreaterThanOrEqual(1);
    expect(point('sark.client.cache.requests', 'sark.cache.result', 'miss')).toBeGreaterThanOrEqual(1);
    expect(point('sark.client.breaker.transitions', 'sark.breaker.state', 'open')).toBeGreaterThanOrEqual(1);
    expect(metrics.some((metric) => metric.descriptor.name === 'sark.client.sse.reconnections')).toBe(true);
  });

  it('each reconnection of a stream is an event on its span; the caller’s onReconnect still hears it', async () => {
    const client = setup.client({ telemetry: otel });
    setup.gw.setFaults({ sseDropEvery: 1 });
    try {
      const heard: number[] = [];
      const stream = client.streamEvents({
        eventTypes: ['tool_invoked'],
        onReconnect: ({ attempt }) => heard.push(attempt),
      });
      const first = stream.next();
      await expect.poll(() => client.getMetrics().sse?.connectionsMade).toBe(1);
      await client.invokeTool({ serverName: 'synthetic-00001', toolName: 'tool_0', parameters: { value: 'y' } });
      await first; // the gateway then drops the connection: the stream reconnects
      await expect.poll(() => client.getMetrics().sse?.reconnections).toBeGreaterThanOrEqual(1);
      await stream.return?.();
      const span = spans.getFinishedSpans().find((s) => s.name === 'sark.streamEvents');
      const reconnects = span?.events.filter((event) => event.name === 'sark.sse.reconnect') ?? [];
      expect(reconnects.length).toBeGreaterThanOrEqual(1);
      expect(reconnects[0]?.attributes).toMatchObject({ 'sark.sse.reconnect.attempt': 1 });
      expect(heard.length).toBe(reconnects.length);
    } finally {
      setup.gw.setFaults({});
    }
  });

  it('an unsampled trace records nothing, yet each attempt propagates its own unsampled context', async () => {
    const watched = watchingFetch();
    const client = setup.client({ telemetry: otel, fetch: watched.fetchImpl, cache: { enabled: false } });
    const traceId = 'a'.repeat(32);
    const parentSpanId = 'b'.repeat(16);
    const parent = otel.trace.wrapSpanContext({ traceId, spanId: parentSpanId, traceFlags: otel.TraceFlags.NONE });
    await otel.context.with(otel.trace.setSpan(otel.context.active(), parent), () =>
      client.invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'unsampled' } }),
    );
    expect(spans.getFinishedSpans()).toEqual([]);
    const traceparent = watched.headers.find((headers) => headers['idempotency-key'] !== undefined)?.['traceparent'];
    // The default sampler follows the parent: our spans do not record, but the gateway still joins the same trace
    // (unsampled, flags 00) under a span id of ours, not the caller's.
    expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    expect(traceparent).not.toContain(parentSpanId);
  });

  it('without the telemetry option nothing is recorded and no traceparent is sent', async () => {
    const watched = watchingFetch();
    const client = setup.client({ fetch: watched.fetchImpl });
    await client.invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'quiet' } });
    expect(spans.getFinishedSpans()).toEqual([]);
    expect(watched.headers.every((headers) => headers['traceparent'] === undefined)).toBe(true);
  });
});
