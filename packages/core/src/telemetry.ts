import { GatewayHttpError, JsonRpcError, PermissionDeniedError } from './errors';

/** Attribute values OpenTelemetry accepts (the subset the client sets). */
type Attributes = Record<string, string | number | boolean>;

/** The part of an OpenTelemetry `Span` the client uses. */
export interface TelemetrySpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
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
    };
  };
}

const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

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

  constructor(api: OpenTelemetryApi, scope: string, serverUrl: string | undefined) {
    this.#api = api;
    this.#tracer = api.trace.getTracer(scope);
    const meter = api.metrics.getMeter(scope);
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

  /** `traceparent` (and any other propagated headers) for a request made in the current context. */
  traceHeaders(): Record<string, string> {
    const carrier: Record<string, string> = {};
    this.#api.propagation.inject(this.#api.context.active() as never, carrier);
    return carrier;
  }

  /**
   * Runs `work` as a child of the current span, named `name`; records its outcome and, for an `operation`, counts it
   * and its duration (`sark.client.operations`, `sark.client.operation.duration`, by operation and outcome).
   */
  async span<T>(
    name: string,
    options: { operation?: string; attributes: Attributes; kind?: 'client' | 'internal' },
    work: (span: TelemetrySpan) => Promise<T>,
  ): Promise<T> {
    const started = performance.now();
    const kind = options.kind === 'client' ? SPAN_KIND_CLIENT : SPAN_KIND_INTERNAL;
    const attributes = { ...this.#server, ...options.attributes };
    const span = this.#tracer.startSpan(name, { kind, attributes }, this.#api.context.active() as never);
    const context = this.#api.trace.setSpan(this.#api.context.active() as never, span as never);
    let outcome = 'success';
    try {
      return await this.#api.context.with(context as never, () => work(span));
    } catch (error) {
      outcome = error instanceof PermissionDeniedError ? 'denied' : 'error';
      span.setAttribute('error.type', errorType(error));
      if (error instanceof GatewayHttpError) span.setAttribute('http.response.status_code', error.status);
      if (error instanceof JsonRpcError) span.setAttribute('rpc.jsonrpc.error_code', error.rpcCode);
      span.setStatus({ code: STATUS_ERROR, message: errorType(error) });
      throw error;
    } finally {
      span.setAttribute('sark.outcome', outcome);
      span.end();
      if (options.operation !== undefined) {
        const labels = { 'sark.operation': options.operation, 'sark.outcome': outcome };
        this.#calls.add(1, labels);
        this.#duration.record((performance.now() - started) / 1000, labels);
      }
    }
  }
}
