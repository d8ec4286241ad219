import type { GatewayEvent, InvokeResult, ServerInfo, ToolInfo } from './models';

/** The one `{ signal }` options type: every asynchronous operation of every package accepts it (or extends it). */
export interface SignalOptions {
  /** Aborting cancels the network request or process wait and rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Options every asynchronous operation with a deadline accepts. */
export interface OperationOptions extends SignalOptions {
  /** Deadline for this one call, overriding the transport's default. */
  timeoutMs?: number | undefined;
}

/** Something that holds resources. `close()` is idempotent; calls after it reject with `ClientClosedError`. */
export interface Closeable {
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ListServersOptions extends OperationOptions {
  page?: number | undefined;
  pageSize?: number | undefined;
  userToken?: string | undefined;
}

export interface ListToolsOptions extends ListServersOptions {
  serverName?: string | undefined;
}

export interface InvokeOptions extends OperationOptions {
  serverName: string;
  toolName: string;
  parameters?: Readonly<Record<string, unknown>> | undefined;
  userToken?: string | undefined;
  /** Sent as `Idempotency-Key`; the same key on every retry of one invocation. */
  idempotencyKey?: string | undefined;
  /**
   * Hears the tool's progress where the gateway relays it (the MCP-based dialects: each `notifications/progress`, and
   * every one restarts the deadline); the SARK gateway's REST invoke carries none.
   */
  onProgress?: ((progress: McpProgress) => void) | undefined;
}

/** The result of a health probe of one dependency. */
export interface ProbeResult {
  readonly healthy: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

/** The gateway's REST API: discovery, tools, invocation, health (WIRE.md §1). */
export interface GatewayRequestTransport extends Closeable {
  listServers(options?: ListServersOptions): Promise<readonly ServerInfo[]>;
  listAllServers(options?: Omit<ListServersOptions, 'page'>): Promise<readonly ServerInfo[]>;
  iterateServers(options?: Omit<ListServersOptions, 'page'>): AsyncIterable<ServerInfo>;
  getServer(serverName: string, options?: OperationOptions & { userToken?: string }): Promise<ServerInfo>;
  listTools(options?: ListToolsOptions): Promise<readonly ToolInfo[]>;
  listAllTools(options?: Omit<ListToolsOptions, 'page'>): Promise<readonly ToolInfo[]>;
  iterateTools(options?: Omit<ListToolsOptions, 'page'>): AsyncIterable<ToolInfo>;
  invoke(options: InvokeOptions): Promise<InvokeResult>;
  health(options?: OperationOptions): Promise<ProbeResult>;
  clearCache(): void;
}

export interface StreamOptions extends SignalOptions {
  /** Path below the gateway URL; `/api/v1/events` by default. */
  endpoint?: string | undefined;
  /** Only these event types are yielded (also sent to the gateway as a hint). */
  eventTypes?: readonly string[] | undefined;
  userToken?: string | undefined;
  params?: Readonly<Record<string, string>> | undefined;
  signal?: AbortSignal | undefined;
  /** Called before each wait to reconnect (for logs, metrics, traces). */
  onReconnect?: ((event: ReconnectEvent) => void) | undefined;
}

/** What `onReconnect` is told: the connection attempts that failed in a row, the wait, and why. */
export interface ReconnectEvent {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/** The gateway's event streams (WIRE.md §2). */
export interface EventStreamTransport extends Closeable {
  stream(options?: StreamOptions): AsyncIterable<GatewayEvent>;
}

/** Options of one request to a local server: a deadline and a signal. */
export interface RequestSendOptions extends OperationOptions {
  /**
   * Asks the server for progress (`_meta.progressToken` is sent) and hears each `notifications/progress` for this
   * request. Params must then be an object (or absent).
   */
  onProgress?: ((progress: McpProgress) => void) | undefined;
  /** Each progress notification restarts the `timeoutMs` deadline. Default false. */
  resetTimeoutOnProgress?: boolean | undefined;
  /** A deadline from the start that progress never extends. Default none. */
  maxTotalTimeoutMs?: number | undefined;
}

/** One `notifications/progress` for a request. */
export interface McpProgress {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

/** A local server process speaking JSON-RPC 2.0 over stdio (WIRE.md §3). */
export interface LocalProcessTransport extends Closeable {
  readonly isRunning: boolean;
  readonly pid: number | undefined;
  sendRequest<T = unknown>(method: string, params?: unknown, options?: RequestSendOptions): Promise<T>;
  sendNotification(method: string, params?: unknown): Promise<void>;
  /** Registers a handler for server→client notifications; returns a function that removes it. */
  onNotification(handler: (method: string, params: unknown) => void): () => void;
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** The request a {@link RequestAuthorizer} is asked about: where it goes and how. */
export interface AuthorizedRequest extends SignalOptions {
  readonly url: string;
  readonly method: string;
}

/** What a {@link RequestAuthorizer} is told of an answer that refused the request (`401`, `403`). */
export interface RefusedAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** The headers `headers()` gave for the refused request: tells a stale credential from the one held now. */
  readonly sent?: Readonly<Record<string, string>> | undefined;
}

/**
 * Credentials for HTTP requests that the transports ask for before each request and tell about each refusal —
 * `OAuthClient` (`@sark/oauth`) is one. A transport sends a request again only when `refused` resolves `true`, and
 * at most 3 times; `headers` must never resolve a credential for a URL it was not issued for.
 */
export interface RequestAuthorizer {
  /** Headers to send with the request (`Authorization`, `DPoP`); none while no credential is held for its URL. */
  headers(request: AuthorizedRequest): Promise<Readonly<Record<string, string>>>;
  /**
   * The server refused the request: `true` when new credentials were obtained and the request should be sent again,
   * `false` when the refusal is not the authorizer's to handle. Rejects (`OAuthError`) when authorization failed.
   */
  refused(request: AuthorizedRequest, answer: RefusedAnswer): Promise<boolean>;
}
