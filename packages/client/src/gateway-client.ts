import {
  ClientClosedError,
  GatewayConfigError,
  TransportMode,
  TransportNotAvailableError,
  DEFAULT_PAGING_LIMITS,
  checkHeaderValue,
  checkInteger,
  checkPositive,
  iteratePages,
  holdSecret,
  jsonObjectSnapshot,
  redactingLogger,
  requireName,
  silentLogger,
  type GatewayEvent,
  type InvokeOptions,
  type InvokeResult,
  type JsonObject,
  type Logger,
  type ServerInfo,
  type StreamOptions,
  type ToolInfo,
} from '@sark/core';
import { authorize, buildInvocationInput, type Decision, type InvocationRequest, type PolicyEvaluator } from '@sark/opa';
import { ErrorHandler, type ExecuteOptions } from '@sark/resilience';
import { HttpTransport } from '@sark/transport-http';
import { SseTransport } from '@sark/transport-sse';
import type { LocalServer, LocalServerManager } from '@sark/transport-stdio';
import { checkClientOptions } from './check-options';
import type { ConnectLocalServerOptions, GatewayClientOptions } from './options';
import type { ClientMetrics, HealthReport } from './reports';

type Transport = 'http' | 'sse' | 'stdio';

const ALLOWED: Record<TransportMode, readonly Transport[]> = {
  [TransportMode.AUTO]: ['http', 'sse', 'stdio'],
  [TransportMode.HTTP_ONLY]: ['http'],
  [TransportMode.SSE_ONLY]: ['sse'],
  [TransportMode.STDIO_ONLY]: ['stdio'],
};

/** Signal-only options of the simple operations. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Options of `invokeTool`. */
export interface InvokeToolOptions extends InvocationRequest {
  /** Per-attempt deadline for this invocation (default: the client's `timeoutMs`). */
  timeoutMs?: number;
  /** The same key is sent on every retry (default: a new UUID per call). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** An evaluator that builds its own input (OPAClient does, honouring its `inputBuilder` and `includeToken`). */
interface SelfAuthorizing {
  authorizeInvocation(request: InvocationRequest & { signal?: AbortSignal }): Promise<Decision>;
}

/**
 * The SARK Gateway client. In AUTO mode each operation goes to its transport — discovery and invocation over HTTP,
 * events over SSE, local servers over stdio — created lazily, once. HTTP operations run under one layer of
 * circuit breaker → retry → per-attempt timeout; invocations are authorized by the policy first and retried only
 * with their Idempotency-Key.
 */
export class GatewayClientCore {
  readonly #options: GatewayClientOptions;
  readonly #mode: TransportMode;
  readonly #logger: Logger;
  readonly #handler: ErrorHandler;
  readonly #createLocalServers: (() => LocalServerManager) | null;
  #http: HttpTransport | null = null;
  #sse: SseTransport | null = null;
  #stdio: LocalServerManager | null = null;
  readonly #releaseApiKey: () => void;
  #closed = false;
  #closing: Promise<void> | null = null;

  protected constructor(options: GatewayClientOptions, createLocalServers: (() => LocalServerManager) | null) {
    checkClientOptions(options);
    this.#options = options;
    this.#mode = options.transportMode ?? TransportMode.AUTO;
    if (!Object.hasOwn(ALLOWED, this.#mode)) throw new GatewayConfigError({ message: `transportMode: "${String(this.#mode)}" is not one of ${Object.values(TransportMode).join(', ')}` });
    this.#releaseApiKey = holdSecret(options.apiKey);
    this.#logger = redactingLogger(options.logger ?? silentLogger);
    this.#handler = new ErrorHandler({
      enabled: options.enableErrorHandling ?? true,
      timeoutMs: options.timeoutMs ?? 30_000,
      ...(options.circuitBreaker ? { circuitBreaker: options.circuitBreaker } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      onRetry: ({ attempt, delayMs, error }) =>
        this.#logger.warn({ attempt, delayMs, err: error instanceof Error ? error.message : String(error) }, 'retrying gateway operation'),
    });
    this.#createLocalServers = createLocalServers;
  }

  /** One page of servers. Cached. */
  listServers(options: { page?: number; pageSize?: number } & CallOptions = {}): Promise<readonly ServerInfo[]> {
    return this.#httpCall((http, signal, timeoutMs) => http.listServers({ ...pageArgs(options), signal, timeoutMs }), options);
  }

  /** Every server, all pages. */
  listAllServers(options: { pageSize?: number } & CallOptions = {}): Promise<readonly ServerInfo[]> {
    return this.#httpCall((http, signal, timeoutMs) => http.listAllServers({ ...pageArgs(options), signal, timeoutMs }), options);
  }

  /**
   * Servers page by page, each page under the client's error handling; for very large registries. Bounded like
   * `listAllServers`: it stops at `total` or a short page, and a gateway that ignores limit or offset is a
   * `GatewayProtocolError`.
   */
  async *iterateServers(options: { pageSize?: number } & CallOptions = {}): AsyncGenerator<ServerInfo> {
    const pageSize = checkInteger(options.pageSize ?? 100, 'iterateServers: pageSize', 1);
    const load = (offset: number, limit: number) =>
      this.#httpCall((http, signal, timeoutMs) => http.listServersPage({ page: offset / limit + 1, pageSize: limit, signal, timeoutMs }), options);
    yield* iteratePages(load, pageSize, DEFAULT_PAGING_LIMITS, 'iterateServers');
  }

  /** One server by name; `GatewayHttpError` (404) when unknown. */
  getServerInfo(serverName: string, options: CallOptions = {}): Promise<ServerInfo> {
    return this.#httpCall((http, signal, timeoutMs) => http.getServer(serverName, { signal, timeoutMs }), options);
  }

  /** One page of tools, optionally of one server. Cached. */
  listTools(options: { serverName?: string; page?: number; pageSize?: number } & CallOptions = {}): Promise<readonly ToolInfo[]> {
    return this.#httpCall((http, signal, timeoutMs) => http.listTools({ ...pageArgs(options), ...serverArg(options), signal, timeoutMs }), options);
  }

  /** Every tool (of one server, when given), all pages. */
  listAllTools(options: { serverName?: string; pageSize?: number } & CallOptions = {}): Promise<readonly ToolInfo[]> {
    return this.#httpCall((http, signal, timeoutMs) => http.listAllTools({ ...pageArgs(options), ...serverArg(options), signal, timeoutMs }), options);
  }

  /**
   * Invokes a tool through the gateway. The invocation is copied once, here (`parameters` must be JSON data; see
   * `jsonSnapshot`): the policy sees that copy and exactly that copy — or the policy's `filteredParameters` — is
   * sent, whatever happens to the caller's object meanwhile. With a policy configured it is asked first: a denial
   * throws `PermissionDeniedError` and nothing is sent.
   */
  invokeTool(options: InvokeToolOptions): Promise<InvokeResult> {
    let http: HttpTransport;
    let parameters: JsonObject;
    try {
      http = this.#transport('http');
      requireName(options.serverName, 'invokeTool: serverName');
      requireName(options.toolName, 'invokeTool: toolName');
      parameters = jsonObjectSnapshot(options.parameters ?? {}, 'invokeTool: parameters');
      if (options.userToken !== undefined) checkHeaderValue('Authorization', options.userToken);
      if (options.timeoutMs !== undefined) checkPositive(options.timeoutMs, 'invokeTool: timeoutMs');
      if (options.idempotencyKey !== undefined) checkHeaderValue('Idempotency-Key', options.idempotencyKey);
    } catch (error) {
      return Promise.reject(error);
    }
    const policy = this.#options.opaClient;
    // Without a user token and a policy (the hot path) no extra promise is made.
    if (options.userToken === undefined && !policy) return this.#send(http, options, parameters);
    const release = holdSecret(options.userToken);
    const sent = policy ? this.#authorizeThenSend(policy, http, options, parameters) : this.#send(http, options, parameters);
    return sent.finally(release);
  }

  async #authorizeThenSend(policy: PolicyEvaluator, http: HttpTransport, options: InvokeToolOptions, parameters: JsonObject): Promise<InvokeResult> {
    const request: InvocationRequest = { serverName: options.serverName, toolName: options.toolName, parameters };
    if (options.userToken !== undefined) request.userToken = options.userToken;
    const decision = await this.#authorize(policy, request, options.signal);
    // A custom evaluator may hand back a live object: it is copied like the caller's parameters.
    const sent = decision.filteredParameters ? jsonObjectSnapshot(decision.filteredParameters, 'policy decision: filteredParameters') : parameters;
    return this.#send(http, options, sent);
  }

  /** Sends one invocation under breaker and retry, with the same Idempotency-Key on every attempt. */
  #send(http: HttpTransport, options: InvokeToolOptions, parameters: JsonObject): Promise<InvokeResult> {
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 30_000;
    // One request description for every attempt. (Built without spreads: this is the hot path.)
    const request: InvokeOptions = { serverName: options.serverName, toolName: options.toolName, parameters, idempotencyKey: options.idempotencyKey ?? crypto.randomUUID(), timeoutMs };
    if (options.userToken !== undefined) request.userToken = options.userToken;
    const execute: ExecuteOptions = { timeoutMs: Number.POSITIVE_INFINITY, idempotent: true };
    if (options.signal) {
      execute.signal = options.signal;
      request.signal = options.signal;
    }
    // The transport enforces the per-attempt deadline itself (cheaper than a second timer and AbortSignal here), and
    // gets the caller's own signal: no signal shared between calls collects a listener per request.
    return this.#handler.execute(() => http.invoke(request), execute);
  }

  /** Gateway events as an async iterable; reconnects with Last-Event-ID. `break` releases the connection. */
  streamEvents(options: StreamOptions = {}): AsyncIterableIterator<GatewayEvent> {
    return this.#transport('sse').stream(options);
  }

  /** Starts a local MCP server over stdio (Node only). A second server with the same id is a `GatewayConfigError`. */
  async connectLocalServer(options: ConnectLocalServerOptions): Promise<LocalServer> {
    const manager = this.#transport('stdio');
    return manager.connect({ ...options, ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }), logger: this.#logger });
  }

  /** Stops a local server and forgets it. Unknown ids are ignored. */
  async disconnectLocalServer(serverId: string): Promise<void> {
    this.#ensureOpen();
    await this.#stdio?.disconnect(serverId);
  }

  /**
   * Really checks what is configured: `GET /health` on the gateway (bounded by `timeoutMs`, bypassing breaker and
   * cache), the SSE streams' state, each local server's process and an MCP ping, OPA's `/health`. Never rejects for
   * a down dependency.
   */
  async healthCheck(options: CallOptions = {}): Promise<HealthReport> {
    this.#ensureOpen();
    const report: { -readonly [K in keyof HealthReport]: HealthReport[K] } = { status: 'healthy' };
    const checks: Promise<void>[] = [];
    const signalArg = options.signal ? { signal: options.signal } : {};
    if (this.#options.gatewayUrl !== undefined && this.#allowed('http')) {
      const http = this.#transport('http');
      checks.push(
        http.health({ ...signalArg, timeoutMs: this.#options.timeoutMs ?? 30_000 }).then((probe) => {
          report.http = {
            status: probe.healthy ? 'healthy' : 'unhealthy',
            latencyMs: Math.round(probe.latencyMs * 100) / 100,
            cacheHitRate: http.getMetrics().cacheHitRate,
            ...(probe.error === undefined ? {} : { error: probe.error }),
          };
        }),
      );
    }
    if (this.#sse) report.sse = this.#sse.health();
    if (this.#stdio && this.#stdio.size > 0) {
      checks.push(
        this.#stdio.health({ ping: true, timeoutMs: this.#options.timeoutMs ?? 30_000 }).then((servers) => {
          report.stdio = Object.fromEntries(Object.entries(servers).map(([id, h]) => [id, { status: h.status, pid: h.pid, responsive: h.responsive }]));
        }),
      );
    }
    const policy = this.#options.opaClient;
    if (policy?.health) {
      checks.push(
        policy.health(signalArg).then((probe) => {
          report.opa = { status: probe.healthy ? 'healthy' : 'unhealthy', latencyMs: probe.latencyMs, ...(probe.error === undefined ? {} : { error: probe.error }) };
        }),
      );
    }
    await Promise.all(checks);
    const breaker = this.#handler.getMetrics()?.circuitBreaker;
    if (breaker) report.errorHandler = { circuitBreaker: snapshot(breaker) };
    const parts = [report.http?.status, report.sse?.status === 'degraded' ? 'unhealthy' : 'healthy', report.opa?.status, ...Object.values(report.stdio ?? {}).map((s) => (s.status === 'running' && s.responsive !== false ? 'healthy' : 'unhealthy'))];
    report.status = report.http?.status === 'unhealthy' ? 'unhealthy' : parts.includes('unhealthy') || breaker?.state === 'open' ? 'degraded' : 'healthy';
    return report;
  }

  /** A synchronous snapshot (API.md `ClientMetrics`). */
  getMetrics(): ClientMetrics {
    const active: Transport[] = [];
    if (this.#http) active.push('http');
    if (this.#sse) active.push('sse');
    if (this.#stdio) active.push('stdio');
    const http = this.#http?.getMetrics();
    const sse = this.#sse?.getMetrics();
    const handler = this.#handler.getMetrics();
    return {
      transportMode: this.#mode,
      activeTransports: active,
      ...(http
        ? { http: { cacheHitRate: http.cacheHitRate, cacheHits: http.cacheHits, cacheMisses: http.cacheMisses, cacheSize: http.cacheSize, requests: http.requests, inFlight: http.inFlight } }
        : {}),
      ...(sse ? { sse: { eventsReceived: sse.eventsReceived, connectionsMade: sse.connectionsMade, reconnections: sse.reconnections, errors: sse.errors, activeStreams: sse.activeStreams } } : {}),
      stdioServersCount: this.#stdio?.size ?? 0,
      ...(handler ? { errorHandler: { circuitBreaker: snapshot(handler.circuitBreaker), retry: handler.retry, defaultTimeoutMs: handler.defaultTimeoutMs } } : {}),
    };
  }

  /** Empties the HTTP response cache (hit/miss counters stay until `close()`). */
  clearCache(): void {
    this.#http?.clearCache();
  }

  /**
   * Aborts in-flight requests and streams, stops local servers, destroys the HTTP pool; resolves when all of it is
   * done. Idempotent; later calls reject with `ClientClosedError`. Nothing keeps the Node process alive afterwards.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      // First, at once: calls waiting between retries reject with ClientClosedError.
      this.#handler.close();
      const policy = this.#options.opaClient as { close?: () => Promise<void> } | undefined;
      await Promise.all([this.#http?.close(), this.#sse?.close(), this.#stdio?.close(), policy?.close?.()]);
      this.#releaseApiKey();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #httpCall<T>(operation: (http: HttpTransport, signal: AbortSignal | undefined, timeoutMs: number) => Promise<T>, options: CallOptions): Promise<T> {
    let http: HttpTransport;
    try {
      http = this.#transport('http');
    } catch (error) {
      return Promise.reject(error);
    }
    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    // The transport enforces the per-attempt deadline itself; the handler adds breaker and retry around it.
    return this.#handler.execute(() => operation(http, options.signal, timeoutMs), { timeoutMs: Number.POSITIVE_INFINITY, ...(options.signal ? { signal: options.signal } : {}) });
  }

  async #authorize(policy: PolicyEvaluator, request: InvocationRequest, signal: AbortSignal | undefined): Promise<Decision> {
    const selfAuthorizing = (policy as Partial<SelfAuthorizing>).authorizeInvocation;
    if (typeof selfAuthorizing === 'function') return selfAuthorizing.call(policy, { ...request, ...(signal ? { signal } : {}) });
    return authorize(policy, buildInvocationInput(request), signal ? { signal } : {});
  }

  #ensureOpen(): void {
    if (this.#closed) throw new ClientClosedError({ message: 'The gateway client is closed' });
  }

  #allowed(transport: Transport): boolean {
    return ALLOWED[this.#mode].includes(transport);
  }

  #transport(kind: 'http'): HttpTransport;
  #transport(kind: 'sse'): SseTransport;
  #transport(kind: 'stdio'): LocalServerManager;
  #transport(kind: Transport): HttpTransport | SseTransport | LocalServerManager {
    this.#ensureOpen();
    if (!this.#allowed(kind)) {
      throw new TransportNotAvailableError({ transport: kind, message: `The ${kind} transport is not available in transportMode "${this.#mode}"` });
    }
    if (kind === 'stdio') {
      if (!this.#createLocalServers) {
        throw new TransportNotAvailableError({ transport: 'stdio', message: 'Local (stdio) servers need Node.js; this is the browser/edge build of @sark/gateway' });
      }
      this.#stdio ??= this.#createLocalServers();
      return this.#stdio;
    }
    const gatewayUrl = this.#options.gatewayUrl;
    if (gatewayUrl === undefined) throw new GatewayConfigError({ message: `gatewayUrl is required for ${kind === 'http' ? 'HTTP' : 'SSE'} operations` });
    const common = {
      gatewayUrl,
      ...(this.#options.apiKey === undefined ? {} : { apiKey: this.#options.apiKey }),
      ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
      maxConnections: this.#options.maxConnections ?? 50,
      logger: this.#logger,
    };
    if (kind === 'http') {
      this.#http ??= new HttpTransport({ ...common, timeoutMs: this.#options.timeoutMs ?? 30_000, ...(this.#options.cache ? { cache: this.#options.cache } : {}) });
      return this.#http;
    }
    this.#sse ??= new SseTransport({ ...common, idleTimeoutMs: 2 * (this.#options.timeoutMs ?? 30_000) });
    return this.#sse;
  }
}

function pageArgs(options: { page?: number; pageSize?: number }): { page?: number; pageSize?: number } {
  return { ...(options.page === undefined ? {} : { page: options.page }), ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }) };
}

function serverArg(options: { serverName?: string }): { serverName?: string } {
  return options.serverName === undefined ? {} : { serverName: options.serverName };
}

function snapshot(metrics: import('@sark/resilience').CircuitBreakerMetrics) {
  const { state, failureCount, successCount, totalCalls, totalFailures, totalSuccesses, failureRate, stateChanges, lastFailureTime } = metrics;
  return { state, failureCount, successCount, totalCalls, totalFailures, totalSuccesses, failureRate, stateChanges, lastFailureTime };
}
