import {
  ClientClosedError,
  TransportNotAvailableError,
  holdSecret,
  jsonObjectSnapshot,
  redactingLogger,
  silentLogger,
  type GatewayEvent,
  type InvokeOptions,
  type InvokeResult,
  type JsonObject,
  type Logger,
  type ServerInfo,
  type StreamOptions,
  type ToolInfo,
  type OperationOptions,
  type ReconnectEvent,
  type SignalOptions,
} from '@sark/core';
import {
  DEFAULT_PAGING_LIMITS,
  checkHeaderValue,
  checkInteger,
  checkObject,
  checkOptionsObject,
  checkPositive,
  iteratePages,
  requireName,
} from '@sark/core/internal';
import {
  authorize,
  buildInvocationInput,
  type Decision,
  type InvocationRequest,
  type PolicyEvaluator,
} from '@sark/opa';
import type { GatewayApi, GatewayDialect } from './gateway-api';
import type { RegistryApi } from './registry-dialect';
import type { RegistryIdentity } from './registry-wire';
import type { RemoteServer } from '@sark/transport-mcp-http';
import type { LocalServer, LocalServerManager } from '@sark/transport-stdio';
import { checkClientOptions } from './check-options';
import { CLIENT_DEFAULTS } from './client-defaults';
import { ClientTransports, type PlatformParts } from './client-transports';
import { checkHealth } from './health-check';
import { projectMetrics } from './metrics-projection';
import { exportClientMetrics } from './telemetry-metrics';
import { tracedStream } from './traced-stream';
import { ClientResilience } from './client-resilience';
import type { ConnectLocalServerOptions, ConnectRemoteServerOptions, GatewayClientOptions } from './options';
import type { ClientMetrics, HealthReport } from './reports';

/** The route of an invocation attempt in each dialect (its span's `url.template`). */
const INVOKE_ROUTE: Record<GatewayDialect, string> = {
  sark: '/api/v1/invoke',
  'mcp-gateway-registry': '/{path}/mcp',
  mcp: '/mcp',
};

/** Signal-only options of the simple operations. */
export type CallOptions = SignalOptions;

/** Options of `invokeTool` (`timeoutMs`: the per-attempt deadline, default the client's `timeoutMs`). */
export interface InvokeToolOptions extends InvocationRequest, OperationOptions {
  /** The same key is sent on every retry (default: a new UUID per call). */
  idempotencyKey?: string | undefined;
  /**
   * The tool's progress, where the gateway relays it: the MCP-based dialects (`'mcp-gateway-registry'`, `'mcp'`) call
   * it for each `notifications/progress`, and each restarts the deadline; the SARK gateway's REST invoke has none.
   */
  onProgress?: InvokeOptions['onProgress'];
}

/**
 * The SARK Gateway client. In AUTO mode each operation goes to its transport — discovery and invocation over HTTP,
 * events over SSE, local servers over stdio — created lazily, once. HTTP operations run under `wrap(breaker, retry)`,
 * the transport enforcing each attempt's deadline; invocations are authorized by the policy first and retried only
 * with their Idempotency-Key.
 */
export class GatewayClientCore {
  readonly #options: GatewayClientOptions;
  readonly #logger: Logger;
  readonly #resilience: ClientResilience;
  readonly #transports: ClientTransports;
  readonly #timeoutMs: number;
  readonly #releaseSecrets: () => void;
  readonly #stopExporting: () => void;
  #closed = false;
  #closing: Promise<void> | null = null;

  protected constructor(given: GatewayClientOptions, platform: PlatformParts) {
    // A copy, read once and then checked: the gateway, API key and policy checked here are the ones used for the
    // client's life, whatever later happens to the caller's object (transports are made lazily, from this copy).
    const options = Object.freeze({ ...checkOptionsObject(given, 'GatewayClient: options') });
    checkClientOptions(options);
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs;
    this.#logger = redactingLogger(options.logger ?? silentLogger);
    this.#transports = new ClientTransports(options, this.#logger, platform);
    this.#resilience = new ClientResilience(options, this.#logger);
    const telemetry = this.#transports.telemetry;
    this.#stopExporting = telemetry
      ? exportClientMetrics(telemetry, this.#transports, this.#resilience.breaker)
      : () => undefined;
    // Secrets in use until close(): redacted wherever they would show.
    const backendCredentials = Object.values(options.backendCredentials ?? {});
    // A credential and, without its scheme ("Bearer …"), the token it carries.
    const tokens = backendCredentials.map((value) => value.replace(/^[A-Za-z][\w.~+/-]* +/, ''));
    const releases = [options.apiKey, ...backendCredentials, ...tokens].map((secret) => holdSecret(secret));
    this.#releaseSecrets = () => releases.forEach((release) => release());
  }

  /** One page of servers. Cached. */
  listServers(
    options: { page?: number | undefined; pageSize?: number | undefined } & CallOptions = {},
  ): Promise<readonly ServerInfo[]> {
    return this.#httpCall(
      'listServers',
      async (http, signal, timeoutMs) =>
        (await http.listServersPage({ page: options.page, pageSize: options.pageSize, signal, timeoutMs })).items,
      options,
    );
  }

  /** Every server, all pages. */
  listAllServers(options: { pageSize?: number | undefined } & CallOptions = {}): Promise<readonly ServerInfo[]> {
    return this.#httpCall(
      'listAllServers',
      (http, signal, timeoutMs) => http.listAllServers({ pageSize: options.pageSize, signal, timeoutMs }),
      options,
    );
  }

  /**
   * Servers page by page, each page under the client's error handling; for very large registries. Bounded like
   * `listAllServers`: it stops at `total` or a short page, and a gateway that ignores limit or offset is a
   * `GatewayProtocolError`.
   */
  async *iterateServers(options: { pageSize?: number | undefined } & CallOptions = {}): AsyncGenerator<ServerInfo> {
    const pageSize = checkInteger(options.pageSize ?? 100, 'iterateServers: pageSize', 1);
    const load = (offset: number, limit: number) =>
      this.#httpCall(
        'iterateServers',
        (http, signal, timeoutMs) =>
          http.listServersPage({ page: offset / limit + 1, pageSize: limit, signal, timeoutMs }),
        options,
      );
    yield* iteratePages(load, pageSize, DEFAULT_PAGING_LIMITS, 'iterateServers');
  }

  /** One server by name; `GatewayHttpError` (404) when unknown. */
  getServerInfo(serverName: string, options: CallOptions = {}): Promise<ServerInfo> {
    return this.#httpCall(
      'getServerInfo',
      (http, signal, timeoutMs) => http.getServer(serverName, { signal, timeoutMs }),
      options,
    );
  }

  /** One page of tools, optionally of one server. Cached. */
  listTools(
    options: {
      serverName?: string | undefined;
      page?: number | undefined;
      pageSize?: number | undefined;
    } & CallOptions = {},
  ): Promise<readonly ToolInfo[]> {
    const { serverName, page, pageSize } = options;
    return this.#httpCall(
      'listTools',
      (http, signal, timeoutMs) => http.listTools({ serverName, page, pageSize, signal, timeoutMs }),
      options,
    );
  }

  /** Every tool (of one server, when given), all pages. */
  listAllTools(
    options: { serverName?: string | undefined; pageSize?: number | undefined } & CallOptions = {},
  ): Promise<readonly ToolInfo[]> {
    const { serverName, pageSize } = options;
    return this.#httpCall(
      'listAllTools',
      (http, signal, timeoutMs) => http.listAllTools({ serverName, pageSize, signal, timeoutMs }),
      options,
    );
  }

  /**
   * Invokes a tool through the gateway. The invocation is copied once, here (`parameters` must be JSON data; see
   * `jsonSnapshot`): the policy sees that copy and exactly that copy — or the policy's `filteredParameters` — is
   * sent, whatever happens to the caller's object meanwhile. With a policy configured it is asked first: a denial
   * throws `PermissionDeniedError` and nothing is sent.
   */
  invokeTool(options: InvokeToolOptions): Promise<InvokeResult> {
    try {
      checkObject(options, 'invokeTool(options)');
    } catch (error) {
      return Promise.reject(error);
    }
    const telemetry = this.#transports.telemetry;
    if (!telemetry) return this.#invoke(options);
    const attributes = {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': String(options.toolName),
      'mcp.method.name': 'tools/call',
      'sark.server.name': String(options.serverName),
    };
    return telemetry.span(`execute_tool ${String(options.toolName)}`, { operation: 'invokeTool', attributes }, () =>
      this.#invoke(options),
    );
  }

  #invoke(options: InvokeToolOptions): Promise<InvokeResult> {
    let http: GatewayApi | Promise<GatewayApi>;
    let call: InvokeToolOptions & { parameters: JsonObject };
    try {
      http = this.#transports.api();
      // The call as it is now, read once: the policy and every attempt see the same server, tool, user, parameters
      // and options, whatever the caller does to its object while the policy evaluates.
      call = {
        serverName: requireName(options.serverName, 'invokeTool: serverName'),
        toolName: requireName(options.toolName, 'invokeTool: toolName'),
        parameters: jsonObjectSnapshot(options.parameters ?? {}, 'invokeTool: parameters'),
        timeoutMs: options.timeoutMs,
        idempotencyKey: options.idempotencyKey,
        signal: options.signal,
        onProgress: options.onProgress,
      };
      if (options.userToken !== undefined) call.userToken = options.userToken;
      if (call.userToken !== undefined) checkHeaderValue('Authorization', call.userToken);
      if (call.timeoutMs !== undefined) checkPositive(call.timeoutMs, 'invokeTool: timeoutMs');
      if (call.idempotencyKey !== undefined) checkHeaderValue('Idempotency-Key', call.idempotencyKey);
    } catch (error) {
      return Promise.reject(error);
    }
    if (http instanceof Promise) {
      // 'auto' before the gateway was asked: the asking, retried like any discovery call, then the invocation.
      const asked = this.#resilience.policy.execute(() => Promise.resolve(this.#transports.api()), call.signal);
      return asked.then((api) => this.#invokeOn(api, call));
    }
    return this.#invokeOn(http, call);
  }

  #invokeOn(http: GatewayApi, call: InvokeToolOptions & { parameters: JsonObject }): Promise<InvokeResult> {
    const policy = this.#options.opaClient;
    // Without a user token and a policy (the hot path) no extra promise is made.
    if (call.userToken === undefined && !policy) return this.#send(http, call, call.parameters);
    const release = holdSecret(call.userToken);
    const sent = policy
      ? this.#authorizeThenSend(policy, http, call, call.parameters)
      : this.#send(http, call, call.parameters);
    return sent.finally(release);
  }

  async #authorizeThenSend(
    policy: PolicyEvaluator,
    http: GatewayApi,
    options: InvokeToolOptions,
    parameters: JsonObject,
  ): Promise<InvokeResult> {
    const request: InvocationRequest = { serverName: options.serverName, toolName: options.toolName, parameters };
    if (options.userToken !== undefined) request.userToken = options.userToken;
    const telemetry = this.#transports.telemetry;
    const decision = telemetry
      ? await telemetry.span(
          'sark.authorize',
          { attributes: { 'gen_ai.tool.name': options.toolName } },
          async (span) => {
            const allowed = await this.#authorize(policy, request, options.signal);
            span.setAttribute('sark.policy.decision', 'allow');
            return allowed;
          },
        )
      : await this.#authorize(policy, request, options.signal);
    // A custom evaluator may hand back a live object: it is copied like the caller's parameters.
    const sent = decision.filteredParameters
      ? jsonObjectSnapshot(decision.filteredParameters, 'policy decision: filteredParameters')
      : parameters;
    return this.#send(http, options, sent);
  }

  /** Sends one invocation under breaker and retry, with the same Idempotency-Key on every attempt. */
  #send(http: GatewayApi, options: InvokeToolOptions, parameters: JsonObject): Promise<InvokeResult> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    // One request description for every attempt. (Built without spreads: this is the hot path.)
    const request: InvokeOptions = {
      serverName: options.serverName,
      toolName: options.toolName,
      parameters,
      idempotencyKey: options.idempotencyKey ?? crypto.randomUUID(),
      timeoutMs,
    };
    if (options.userToken !== undefined) request.userToken = options.userToken;
    if (options.signal) request.signal = options.signal;
    if (options.onProgress) request.onProgress = options.onProgress;
    // The transport enforces the per-attempt deadline itself (cheaper than a second timer and AbortSignal here), and
    // gets the caller's own signal: no signal shared between calls collects a listener per request.
    const telemetry = this.#transports.telemetry;
    // Only the SARK gateway honours idempotency keys: elsewhere a call is retried only when it cannot have been sent.
    const dialect = this.#transports.dialect;
    const resilience = dialect === 'sark' ? this.#resilience.policy : this.#resilience.unsentOnlyPolicy;
    if (!telemetry) return resilience.execute(() => http.invoke(request), options.signal);
    const template = INVOKE_ROUTE[dialect ?? 'sark'];
    return resilience.execute(
      ({ attempt }) =>
        telemetry.span(
          'POST',
          {
            kind: 'client',
            attributes: { 'http.request.method': 'POST', 'url.template': template, 'sark.attempt': attempt },
          },
          () => http.invoke(request),
        ),
      options.signal,
    );
  }

  /** Gateway events as an async iterable; reconnects with Last-Event-ID. `break` releases the connection. */
  streamEvents(options: StreamOptions = {}): AsyncIterableIterator<GatewayEvent> {
    // 'auto' before the gateway was asked: the stream opens once the answer says it has one.
    if (this.#transports.dialect === null && this.#transports.allowed('http')) return this.#streamAfterAsking(options);
    const sse = this.#transports.sse();
    const telemetry = this.#transports.telemetry;
    if (!telemetry) return sse.stream(options);
    const endpoint = options.endpoint ?? '/api/v1/events';
    const open = (onReconnect: (event: ReconnectEvent) => void) => sse.stream({ ...options, onReconnect });
    return tracedStream(telemetry, open, endpoint, options.onReconnect);
  }

  async *#streamAfterAsking(options: StreamOptions): AsyncGenerator<GatewayEvent> {
    await this.#resilience.policy.execute(() => Promise.resolve(this.#transports.api()), options.signal);
    yield* this.streamEvents(options);
  }

  /**
   * The gateway API this client speaks: the `dialect` option, or with `'auto'` the gateway's answer — `null` until
   * the first call asked it (see {@link detectDialect}).
   */
  get dialect(): GatewayDialect | null {
    return this.#transports.dialect;
  }

  /** The gateway API this client speaks; with `'auto'`, asks the gateway now if no call has yet. */
  async detectDialect(options: CallOptions = {}): Promise<GatewayDialect> {
    checkOptionsObject(options, 'detectDialect(options)');
    await this.#resilience.policy.execute(() => Promise.resolve(this.#transports.api()), options.signal);
    return this.#transports.dialect as GatewayDialect;
  }

  /**
   * Who the gateway takes the caller for (`'mcp-gateway-registry'`: `GET /api/auth/me` — username, scopes, groups,
   * the servers it may use). Other dialects have no such call: `TransportNotAvailableError`.
   */
  whoami(options: CallOptions = {}): Promise<RegistryIdentity> {
    return this.#httpCall(
      'whoami',
      (http, signal, timeoutMs) => {
        if (this.#transports.dialect !== 'mcp-gateway-registry') {
          throw new TransportNotAvailableError({
            transport: 'http',
            message: `whoami() needs the mcp-gateway-registry dialect, not "${this.#transports.dialect}"`,
          });
        }
        return (http as RegistryApi).whoami({ signal, timeoutMs });
      },
      options,
    );
  }

  /** Starts a local MCP server over stdio (Node only). A second server with the same id is a `GatewayConfigError`. */
  async connectLocalServer(options: ConnectLocalServerOptions): Promise<LocalServer> {
    const manager = this.#transports.stdio();
    return manager.connect({ telemetry: this.#options.telemetry, ...options, logger: this.#logger });
  }

  /**
   * Connects to a remote MCP server over Streamable HTTP — one of the gateway's (`server: 'everything'`, at
   * `{gatewayUrl}/mcp/{server}`, with the client's API key) or any `url`. A second server with the same id is a
   * `GatewayConfigError`. Allowed in AUTO and HTTP_ONLY.
   */
  async connectRemoteServer(options: ConnectRemoteServerOptions): Promise<RemoteServer> {
    checkObject(options, 'connectRemoteServer(options)');
    // A gateway server's URL depends on the gateway's API: with 'auto', it is asked first.
    if (options.server !== undefined && options.url === undefined && this.#transports.dialect === null) {
      await this.detectDialect({ signal: options.signal });
    }
    return this.#transports.remote().connect(options);
  }

  /** Closes a remote server's session and forgets it. Unknown ids are ignored. */
  async disconnectRemoteServer(id: string): Promise<void> {
    this.#ensureOpen();
    await this.#transports.active.remote?.disconnect(id);
  }

  /** Stops a local server and forgets it. Unknown ids are ignored. */
  async disconnectLocalServer(serverId: string): Promise<void> {
    this.#ensureOpen();
    await this.#transports.active.stdio?.disconnect(serverId);
  }

  /**
   * Really checks what is configured: `GET /health` on the gateway (bounded by `timeoutMs`, bypassing breaker and
   * cache), the SSE streams' state, each local server's process and an MCP ping, OPA's `/health`. Never rejects for
   * a down dependency.
   */
  async healthCheck(options: CallOptions = {}): Promise<HealthReport> {
    this.#ensureOpen();
    return checkHealth({
      transports: this.#transports,
      checkGateway: this.#options.gatewayUrl !== undefined && this.#transports.allowed('http'),
      policy: this.#options.opaClient,
      breaker: this.#resilience.breaker,
      timeoutMs: this.#timeoutMs,
      signal: options.signal,
    });
  }

  /** A synchronous snapshot (API.md `ClientMetrics`). */
  getMetrics(): ClientMetrics {
    return projectMetrics(this.#transports, this.#resilience, this.#timeoutMs);
  }

  /** Empties the HTTP response cache (hit/miss counters stay until `close()`). */
  clearCache(): void {
    this.#transports.active.http?.clearCache();
  }

  /**
   * Aborts in-flight requests and streams, stops local servers, destroys the HTTP pool; resolves when all of it is
   * done. Idempotent; later calls reject with `ClientClosedError`. Nothing keeps the Node process alive afterwards.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      // First, at once: calls waiting between retries reject with ClientClosedError.
      this.#resilience.close();
      this.#stopExporting();
      await Promise.all([this.#transports.close(), this.#options.opaClient?.close?.()]);
      this.#releaseSecrets();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #httpCall<T>(
    name: string,
    operation: (http: GatewayApi, signal: AbortSignal | undefined, timeoutMs: number) => Promise<T>,
    options: CallOptions,
  ): Promise<T> {
    let http: GatewayApi | Promise<GatewayApi>;
    try {
      checkOptionsObject(options, `${name}(options)`);
      http = this.#transports.api();
    } catch (error) {
      return Promise.reject(error);
    }
    const timeoutMs = this.#timeoutMs;
    // The transport enforces the per-attempt deadline itself; breaker and retry go around it. With 'auto' the first
    // attempts also ask the gateway which API it speaks (asked again on each attempt until it answered).
    const attempt =
      http instanceof Promise
        ? () => Promise.resolve(this.#transports.api()).then((api) => operation(api, options.signal, timeoutMs))
        : () => operation(http as GatewayApi, options.signal, timeoutMs);
    const run = () => this.#resilience.policy.execute(attempt, options.signal);
    const telemetry = this.#transports.telemetry;
    return telemetry ? telemetry.span(`sark.${name}`, { operation: name, attributes: {}, kind: 'client' }, run) : run();
  }

  async #authorize(
    policy: PolicyEvaluator,
    request: InvocationRequest,
    signal: AbortSignal | undefined,
  ): Promise<Decision> {
    if (policy.authorizeInvocation) return policy.authorizeInvocation({ ...request, signal });
    return authorize(policy, buildInvocationInput(request), { signal });
  }

  #ensureOpen(): void {
    if (this.#closed) throw new ClientClosedError({ message: 'The gateway client is closed' });
  }
}
