import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import {
  ClientClosedError,
  GatewayConfigError,
  JsonRpcError,
  StdioTransportError,
  TimeoutError,
  type OpenTelemetryApi,
  type RequestSendOptions,
} from '@sark/core';
import {
  Telemetry,
  backoffDelay,
  checkBackoffOptions,
  checkFunction,
  checkInteger,
  checkOptionsObject,
  checkPositive,
  checkString,
  clampTimerMs,
  delay,
  type BackoffOptions,
  type StopDelay,
} from '@sark/core/internal';
import {
  OutputSchemas,
  callTool,
  clientRequestHandlers,
  describeUnansweredHandshake,
  discoverSession,
  initializeSession,
  listAllTools,
  tracedRequest,
  withInputRounds,
  type McpSessionInfo,
  type RequestHandler,
  type McpCallToolResult,
  type McpClientHandlers,
  type McpServerInfo,
  type McpTool,
  type NotificationHandler,
} from '@sark/mcp';
import { signalGroup } from './process-group';
import {
  StdioTransport,
  checkStdioOptions,
  type ExitInfo,
  type StdioTransportOptions,
  type StopOptions,
} from './stdio-transport';

/** Options of a {@link LocalServer}: the process, the session, and the handlers for the server's own requests. */
export interface LocalServerOptions extends StdioTransportOptions, McpClientHandlers {
  /** Defaults to a name derived from command, args and cwd. */
  serverId?: string | undefined;
  /** Perform the MCP handshake (`initialize` + `notifications/initialized`). Default true. */
  handshake?: boolean | undefined;
  /**
   * How long `initialize` may take (a server started through npx may first download itself). Default:
   * `requestTimeoutMs`.
   */
  handshakeTimeoutMs?: number | undefined;
  /**
   * Restart after an unexpected exit, at most `maxRestarts` times, waiting the backoff (as for retries) before each.
   */
  restart?: RestartOptions | undefined;
  /**
   * Send an MCP `ping` this often; an unanswered ping marks the server unhealthy (and restarts it when restart is on).
   */
  pingIntervalMs?: number | undefined;
  /** Sent as `clientInfo` in `initialize`. */
  clientInfo?: { name: string; version: string } | undefined;
  /**
   * The one MCP revision to speak (`2026-07-28`, `2025-11-25`, …). Default: the newest both sides speak —
   * `server/discover` first, then `initialize`.
   */
  protocolVersion?: string | undefined;
  /** Aborting it while the server starts (spawn and handshake) stops the process and rejects with its reason. */
  signal?: AbortSignal | undefined;
  /** `@opentelemetry/api` (the module): a CLIENT span per MCP request. */
  telemetry?: OpenTelemetryApi | undefined;
}

/**
 * Restarts after unexpected exits: restart n (from 0) waits `backoffDelay(n)` — `min(initialDelayMs · base^n,
 * maxDelayMs)` with ±25 % jitter, the same vocabulary and defaults as the client's retries.
 */
export interface RestartOptions extends BackoffOptions {
  /** Default 3. */
  maxRestarts?: number | undefined;
}

/** `health()` of a local server. */
export interface LocalServerHealth {
  readonly status: 'running' | 'stopped';
  readonly pid: number | null;
  /** False after a failed liveness ping, until the next one succeeds. */
  readonly responsive: boolean;
  readonly restarts: number;
  readonly latencyMs?: number;
  readonly error?: string;
}

/** The id a server gets when none is given: the program's name and a short hash of command, args and cwd. */
export function defaultServerId(options: Pick<LocalServerOptions, 'command' | 'args' | 'cwd'>): string {
  checkString(checkOptionsObject(options, 'defaultServerId(options)').command, 'defaultServerId(options.command)');
  const hash = createHash('sha256')
    .update(JSON.stringify([options.command, options.args ?? [], options.cwd ?? '']))
    .digest('hex')
    .slice(0, 8);
  return `${basename(options.command)}-${hash}`;
}

/**
 * A local MCP server: a child process over stdio with the MCP handshake done, conveniences for tools, optional
 * restart and liveness pings. Created by {@link LocalServer.start} (or `GatewayClient.connectLocalServer`).
 */
export class LocalServer {
  readonly serverId: string;
  readonly #options: LocalServerOptions;
  readonly #handlers = new Set<NotificationHandler>();
  readonly #exitHandlers = new Set<(info: ExitInfo) => void>();
  #transport: StdioTransport;
  #serverInfo: McpServerInfo | null = null;
  #capabilities: Readonly<Record<string, unknown>> | null = null;
  #protocolVersion: string | null = null;
  #instructions: string | null = null;
  readonly #outputSchemas = new OutputSchemas();
  readonly #telemetry: Telemetry | null;
  /** The handlers of the server's requests (and, in 2026-07-28, of the input a result asks for). */
  #requestHandlers: ReadonlyMap<string, RequestHandler> = new Map();
  /** 2026-07-28's per-request `_meta` (null for the versions with a handshake). */
  #requestMeta: Readonly<Record<string, unknown>> | null = null;
  #restarts = 0;
  #restarting: Promise<void> | null = null;
  #stopped = false;
  #responsive = true;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  /** The wait before a restart; `stop()` ends it. */
  readonly #restartWaits = new Set<StopDelay>();

  private constructor(transport: StdioTransport, options: LocalServerOptions) {
    this.#transport = transport;
    this.#options = options;
    this.serverId = options.serverId ?? defaultServerId(options);
    this.#telemetry = options.telemetry ? new Telemetry(options.telemetry, '@sark/transport-stdio', undefined) : null;
  }

  /** Starts the process and, unless `handshake: false`, completes the MCP handshake. */
  static async start(given: LocalServerOptions): Promise<LocalServer> {
    checkStdioOptions(given); // the shape, before it is copied; StdioTransport.start checks the copy it spawns
    const options = settledOptions(given);
    if (options.restart !== undefined) checkRestartOptions(options.restart);
    if (options.pingIntervalMs !== undefined) checkPositive(options.pingIntervalMs, 'pingIntervalMs');
    if (options.handshakeTimeoutMs !== undefined) checkPositive(options.handshakeTimeoutMs, 'handshakeTimeoutMs');
    if (options.signal?.aborted) throw options.signal.reason;
    const server = new LocalServer(await StdioTransport.start(options), options);
    try {
      if (options.signal?.aborted) throw options.signal.reason;
      await server.#attach(options.signal);
    } catch (error) {
      await server.#transport.stop({ graceMs: 500 });
      throw options.signal?.aborted ? options.signal.reason : error;
    }
    if (options.pingIntervalMs !== undefined) server.#startPinging(options.pingIntervalMs);
    return server;
  }

  get pid(): number | undefined {
    return this.#transport.pid;
  }

  get isRunning(): boolean {
    return !this.#stopped && this.#transport.isRunning;
  }

  /** `serverInfo` from the handshake (null with `handshake: false`). */
  get serverInfo(): McpServerInfo | null {
    return this.#serverInfo;
  }

  get capabilities(): Readonly<Record<string, unknown>> | null {
    return this.#capabilities;
  }

  /** The protocol version agreed in the handshake (null with `handshake: false`). */
  get protocolVersion(): string | null {
    return this.#protocolVersion;
  }

  /** The server's `instructions` from the handshake, for a model's system prompt (null when it sent none). */
  get instructions(): string | null {
    return this.#instructions;
  }

  /** Tells the server the roots changed (`notifications/roots/list_changed`); it will ask for them again. */
  async rootsChanged(): Promise<void> {
    if (typeof this.#options.roots !== 'function') {
      throw new GatewayConfigError({
        option: 'rootsChanged()',
        message: 'only a roots function can change (roots: () => …)',
      });
    }
    await this.sendNotification('notifications/roots/list_changed');
  }

  /** The last lines the process wrote to stderr. */
  get stderr(): string {
    return this.#transport.stderrTail;
  }

  getMetrics(): ReturnType<StdioTransport['getMetrics']> & { readonly restarts: number } {
    return { ...this.#transport.getMetrics(), restarts: this.#restarts };
  }

  /** Sends a JSON-RPC request and resolves with its `result`. */
  sendRequest<T = unknown>(method: string, params?: unknown, options: RequestSendOptions = {}): Promise<T> {
    const send = async () => {
      const transport = await this.#ready();
      if (this.#requestMeta === null) return transport.sendRequest<T>(method, params, options);
      const handlers = this.#requestHandlers;
      return withInputRounds<T>(
        (next) => transport.sendRequest(method, next, options),
        params,
        handlers,
        options.signal,
      );
    };
    const context = { transport: 'pipe' as const, protocolVersion: this.#protocolVersion };
    return tracedRequest(this.#telemetry, method, params, context, send);
  }

  async sendNotification(method: string, params?: unknown): Promise<void> {
    return (await this.#ready()).sendNotification(method, params);
  }

  /** Adds a handler for server→client notifications (kept across restarts); returns a function that removes it. */
  onNotification(handler: NotificationHandler): () => void {
    this.#handlers.add(checkFunction(handler, 'onNotification(handler)'));
    return () => this.#handlers.delete(handler);
  }

  /** Called whenever the process exits (also before an automatic restart); returns a function that removes it. */
  onExit(handler: (info: ExitInfo) => void): () => void {
    this.#exitHandlers.add(checkFunction(handler, 'onExit(handler)'));
    return () => this.#exitHandlers.delete(handler);
  }

  /** Every tool the server offers, following `nextCursor` through all pages. */
  async listTools(options: RequestSendOptions = {}): Promise<readonly McpTool[]> {
    return listAllTools(this, this.#outputSchemas, options);
  }

  /**
   * Calls a tool. A tool's own failure comes back as a result with `isError: true`. `onProgress` asks for progress
   * (with `resetTimeoutOnProgress` each update restarts `timeoutMs`; `maxTotalTimeoutMs` bounds the whole call). A
   * result whose `structuredContent` breaks the tool's `outputSchema` (known from the last `listTools()`) is a
   * `GatewayProtocolError`.
   */
  async callTool(
    name: string,
    args: Readonly<Record<string, unknown>> = {},
    options: RequestSendOptions = {},
  ): Promise<McpCallToolResult> {
    return callTool(this, this.#outputSchemas, name, args, options);
  }

  /** Process state, and with `ping: true` an MCP ping round trip. */
  async health(options: { ping?: boolean; timeoutMs?: number } = {}): Promise<LocalServerHealth> {
    const base = {
      status: this.isRunning ? ('running' as const) : ('stopped' as const),
      pid: this.pid ?? null,
      restarts: this.#restarts,
    };
    if (!options.ping || !this.isRunning)
      return Object.freeze({ ...base, responsive: this.#responsive && this.isRunning });
    const started = performance.now();
    try {
      await this.#transport.sendRequest('ping', undefined, { timeoutMs: options.timeoutMs ?? 5000 });
      this.#responsive = true;
      return Object.freeze({ ...base, responsive: true, latencyMs: performance.now() - started });
    } catch (error) {
      // A JSON-RPC error is still an answer: the server is alive, it just does not implement ping.
      this.#responsive = error instanceof JsonRpcError;
      const latency = { latencyMs: performance.now() - started };
      return Object.freeze({
        ...base,
        responsive: this.#responsive,
        ...latency,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Stops the server (stdin closed, then SIGTERM to its group, then SIGKILL after `graceMs`). Idempotent. */
  async stop(options: StopOptions = {}): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#pingTimer);
    const stopped = new ClientClosedError({ message: `Local server "${this.serverId}" is stopped` });
    for (const stop of [...this.#restartWaits]) stop(stopped);
    await this.#restarting?.catch(() => undefined);
    await this.#transport.stop(options);
  }

  close(): Promise<void> {
    return this.stop();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #ready(): Promise<StdioTransport> {
    if (this.#stopped) throw new ClientClosedError({ message: `Local server "${this.serverId}" is stopped` });
    if (this.#restarting) await this.#restarting;
    return this.#transport;
  }

  async #attach(signal?: AbortSignal): Promise<void> {
    const transport = this.#transport;
    transport.onNotification((method, params) => {
      for (const handler of this.#handlers) handler(method, params);
    });
    transport.onExit((info) => {
      for (const handler of this.#exitHandlers) handler(info);
      this.#onExit(info);
    });
    this.#requestHandlers = clientRequestHandlers(this.#options);
    for (const [method, handler] of this.#requestHandlers) transport.setRequestHandler(method, handler);
    if (this.#options.handshake !== false) await this.#handshake(transport, signal);
  }

  async #handshake(transport: StdioTransport, signal?: AbortSignal): Promise<void> {
    try {
      const handshake = {
        handlers: this.#options,
        clientInfo: this.#options.clientInfo,
        signal,
        timeoutMs: this.#options.handshakeTimeoutMs,
        protocolVersion: this.#options.protocolVersion,
      };
      // The newest revision both sides speak: 2026-07-28 where the server answers server/discover, else initialize.
      const info: McpSessionInfo =
        (await discoverSession(transport, handshake)) ?? (await initializeSession(transport, handshake));
      this.#requestMeta = info.requestMeta;
      transport.setRequestMeta(info.requestMeta);
      this.#protocolVersion = info.protocolVersion;
      this.#serverInfo = info.serverInfo;
      this.#capabilities = info.capabilities;
      this.#instructions = info.instructions;
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      const message = describeUnansweredHandshake(transport.diagnose(), error.timeoutMs, transport.stderrTail);
      throw new StdioTransportError({ message, cause: error });
    }
  }

  #onExit(info: ExitInfo): void {
    const restart = this.#options.restart;
    if (info.expected || this.#stopped || !restart) return;
    const maxRestarts = restart.maxRestarts ?? 3;
    if (this.#restarts >= maxRestarts) return;
    const wait = backoffDelay(this.#restarts, restart);
    this.#restarts++;
    this.#restarting = (async () => {
      await delay(wait, undefined, this.#restartWaits);
      if (this.#stopped) return;
      this.#transport = await StdioTransport.start(this.#options);
      await this.#attach();
      this.#responsive = true;
    })().finally(() => {
      this.#restarting = null;
    });
    this.#restarting.catch(() => undefined);
  }

  #startPinging(intervalMs: number): void {
    this.#pingTimer = setInterval(() => {
      if (this.#restarting || !this.#transport.isRunning) return;
      void this.health({ ping: true, timeoutMs: this.#options.requestTimeoutMs ?? 30_000 }).then((health) => {
        // An unresponsive server is killed only when it would be restarted; an idle healthy one is never touched.
        if (!health.responsive && this.#options.restart && !this.#stopped) {
          const pid = this.#transport.pid;
          if (pid !== undefined && this.#transport.isRunning) signalGroup(pid, 'SIGKILL');
        }
      });
    }, clampTimerMs(intervalMs));
    this.#pingTimer.unref();
  }
}

function checkRestartOptions(restart: RestartOptions): void {
  if (restart.maxRestarts !== undefined) checkInteger(restart.maxRestarts, 'restart.maxRestarts', 0);
  checkBackoffOptions(restart, 'restart');
}

/**
 * The options read once, `args` and `env` copied too: a restart starts the same program with the same environment,
 * whatever later happens to the caller's objects.
 */
function settledOptions(options: LocalServerOptions): LocalServerOptions {
  const settled: LocalServerOptions = { ...options };
  if (options.args !== undefined) settled.args = Object.freeze([...options.args]);
  if (options.env !== undefined) settled.env = Object.freeze({ ...options.env });
  return Object.freeze(settled);
}
