import { GatewayHttpError, JsonRpcError, PermissionDeniedError } from './errors';

/** Attribute values OpenTelemetry accepts (the subset the client sets). */
type Attributes = Record<string, string | number | boolean>;

/** The part of an OpenTelemetry `Span` the client uses. */
export interface TelemetrySpan {
  isRecording(): boolean;
  spanContext(): { traceId: string };
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  addEvent(name: string, attributes?: Attributes): unknown;
  end(): void;
}

/**
 * The part of `@opentelemetry/api` the @sark packages use. Pass the module itself —
 * `import * as otel from '@opentelemetry/api'; new GatewayClient({ …, telemetry: otel })` — so the API stays an
 * optional peer dependency: without it (or with no provider registered) nothing is recorded and nothing is paid.
 */
export interface OpenTelemetryApi {
  trace: {
    getTracer(
      name: string,
      version?: string,
    ): {
      startSpan(name: string, options?: { kind?: number; attributes?: Attributes }, context?: never): TelemetrySpan;
    };
    setSpan(context: never, span: never): unknown;
  };
  context: { active(): unknown; with<T>(context: never, fn: () => T): T };
  propagation: { inject(context: never, carrier: Record<string, string>): void };
  metrics: {
    getMeter(
      name: string,
      version?: string,
    ): {
      createCounter(
        name: string,
        options?: { description?: string; unit?: string },
      ): {
        add(value: number, attributes?: Attributes): void;
      };
      createHistogram(
        name: string,
        options?: { description?: string; unit?: string },
      ): {
        record(value: number, attributes?: Attributes): void;
      };
      createObservableCounter(
        name: string,
        options?: { description?: string; unit?: string },
      ): {
        addCallback(callback: (result: { observe(value: number, attributes?: Attributes): void }) => void): void;
        removeCallback(callback: (result: { observe(value: number, attributes?: Attributes): void }) => void): void;
      };
    };
  };
}

/** A span started by {@link Telemetry.open}, still open. */
export interface OpenSpan {
  readonly span: TelemetrySpan;
  /** Runs `fn` with this span as the current one. */
  run<T>(fn: () => T): T;
  /** Ends it as a success (once; later calls do nothing). */
  end(): void;
  /** Ends it as a failure with `error`'s type (once). */
  fail(error: unknown): void;
}

const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;
/** The trace id of a span that belongs to no trace (what the API's no-op tracer hands out). */
const INVALID_TRACE_ID = '00000000000000000000000000000000';

/** What a failed operation is called in `error.type` and `sark.outcome` (never its message: it may hold data). */
export function errorType(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Traces and metrics through `@opentelemetry/api`, following the semantic conventions for GenAI tool execution
 * (`execute_tool {tool}`, `gen_ai.tool.name`), MCP (`mcp.method.name`) and HTTP clients (`http.request.method`,
 * `server.address`, `url.template`, `http.response.status_code`, `error.type`). No attribute ever holds a parameter
 * value, a token or a URL query. One per instrumented object; `scope` names the instrumenting package.
 */
export class Telemetry {
  readonly #api: OpenTelemetryApi;
  readonly #tracer: ReturnType<OpenTelemetryApi['trace']['getTracer']>;
  readonly #calls: ReturnType<ReturnType<OpenTelemetryApi['metrics']['getMeter']>['createCounter']>;
  readonly #duration: ReturnType<ReturnType<OpenTelemetryApi['metrics']['getMeter']>['createHistogram']>;
  readonly #server: Attributes;
  readonly #meter: ReturnType<OpenTelemetryApi['metrics']['getMeter']>;

  constructor(api: OpenTelemetryApi, scope: string, serverUrl: string | undefined) {
    this.#api = api;
    this.#tracer = api.trace.getTracer(scope);
    const meter = api.metrics.getMeter(scope);
    this.#meter = meter;
    this.#calls = meter.createCounter('sark.client.operations', { description: 'Gateway client operations' });
    this.#duration = meter.createHistogram('sark.client.operation.duration', {
      description: 'Duration of gateway client operations',
      unit: 's',
    });
    const url = serverUrl === undefined ? undefined : new URL(serverUrl);
    this.#server = url
      ? { 'server.address': url.hostname, 'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)) }
      : {};
  }

  /**
   * A monotonic count the instrumented object keeps anyway (cache hits, reconnections, restarts), read only when
   * metrics are collected: nothing is paid per operation. `read` returns the values with their attributes.
   */
  observeCounter(
    name: string,
    description: string,
    read: () => readonly (readonly [number, Attributes])[],
  ): () => void {
    const observable = this.#meter.createObservableCounter(name, { description });
    const callback = (result: { observe(value: number, attributes?: Attributes): void }): void => {
      for (const [value, attributes] of read()) result.observe(value, attributes);
    };
    observable.addCallback(callback);
    return () => observable.removeCallback(callback);
  }

  /** A counter of events (state changes): returns the function that adds one. */
  eventCounter(name: string, description: string): (attributes: Attributes) => void {
    const counter = this.#meter.createCounter(name, { description });
    return (attributes) => counter.add(1, attributes);
  }

  /** `traceparent` (and any other propagated headers) for a request made in the current context. */
  traceHeaders(): Record<string, string> {
    const carrier: Record<string, string> = {};
    this.#api.propagation.inject(this.#api.context.active() as never, carrier);
    return carrier;
  }

  /**
   * Starts a child of the current span, named `name`, and hands it back open: `run(fn)` runs `fn` in its context (so
   * requests made there carry its `traceparent`), `end()` or `fail(error)` closes it once, recording its outcome
   * and, for an `operation`, counting it with its duration (`sark.client.operations`,
   * `sark.client.operation.duration`, by operation and outcome).
   */
  open(name: string, options: { operation?: string; attributes: Attributes; kind?: 'client' | 'internal' }): OpenSpan {
    const started = options.operation === undefined ? 0 : performance.now();
    const kind = options.kind === 'client' ? SPAN_KIND_CLIENT : SPAN_KIND_INTERNAL;
    const active = this.#api.context.active();
    const span = this.#tracer.startSpan(name, { kind, attributes: options.attributes }, active as never);
    // With no provider registered the span neither records nor has an identity to propagate: it is not made current
    // and carries no server attributes, so an operation pays for nothing beyond its own attribute object.
    const recording = span.isRecording();
    if (recording) for (const key in this.#server) span.setAttribute(key, this.#server[key] as string | number);
    const context =
      recording || span.spanContext().traceId !== INVALID_TRACE_ID
        ? this.#api.trace.setSpan(active as never, span as never)
        : null;
    let open = true;
    const close = (outcome: string): void => {
      if (!open) return;
      open = false;
      span.setAttribute('sark.outcome', outcome);
      span.end();
      if (options.operation !== undefined) {
        const labels = { 'sark.operation': options.operation, 'sark.outcome': outcome };
        this.#calls.add(1, labels);
        this.#duration.record((performance.now() - started) / 1000, labels);
      }
    };
    return {
      span,
      run: (fn) => (context === null ? fn() : this.#api.context.with(context as never, fn)),
      end: () => close('success'),
      fail: (error) => {
        if (!open) return;
        span.setAttribute('error.type', errorType(error));
        if (error instanceof GatewayHttpError) span.setAttribute('http.response.status_code', error.status);
        if (error instanceof JsonRpcError) span.setAttribute('rpc.jsonrpc.error_code', error.rpcCode);
        span.setStatus({ code: STATUS_ERROR, message: errorType(error) });
        close(error instanceof PermissionDeniedError ? 'denied' : 'error');
      },
    };
  }

  /** Runs `work` in a child span (see {@link Telemetry.open}), ended with its outcome. */
  async span<T>(
    name: string,
    options: { operation?: string; attributes: Attributes; kind?: 'client' | 'internal' },
    work: (span: TelemetrySpan) => Promise<T>,
  ): Promise<T> {
    const handle = this.open(name, options);
    try {
      const value = await handle.run(() => work(handle.span));
      handle.end();
      return value;
    } catch (error) {
      handle.fail(error);
      throw error;
    }
  }
}
