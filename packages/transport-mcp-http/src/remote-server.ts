import {
  GatewayConfigError,
  redactingLogger,
  type RequestAuthorizer,
  silentLogger,
  type Logger,
  type OpenTelemetryApi,
  type RequestSendOptions,
} from '@sark/core';
import {
  Telemetry,
  addCheckedHeaders,
  checkAuthorizer,
  checkInteger,
  checkPositive,
  checkReconnectOptions,
  holdSecretHeaders,
  parseGatewayUrl,
  type ReconnectOptions,
} from '@sark/core/internal';
import {
  OutputSchemas,
  ToolHeaders,
  callTool,
  clientRequestHandlers,
  discoverSession,
  initializeSession,
  withInputRounds,
  listAllTools,
  tracedRequest,
  type JsonRpcPeerMetrics,
  type McpCallToolResult,
  type McpClientHandlers,
  type McpServerInfo,
  type McpSessionInfo,
  type McpTool,
  type NotificationHandler,
  type RequestHandler,
  STATELESS_PROTOCOL_VERSION,
} from '@sark/mcp';
import { StreamableHttpChannel, type ChannelSettings } from './http-channel';

/** Options of {@link RemoteServer.connect}. */
export interface RemoteServerOptions extends McpClientHandlers {
  /** The server's MCP endpoint, e.g. `https://gateway.example/github/mcp`. */
  url: string;
  /** Sent on every request (e.g. `X-API-Key`); values must be printable ASCII. Secret-named ones are redacted. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** A bearer token, asked for before every request (so it may refresh): `Authorization: Bearer <token>`. */
  token?: (() => string | Promise<string>) | undefined;
  /**
   * OAuth for servers behind the MCP authorization spec: an `OAuthClient` (`@sark/oauth`). A `401` starts its
   * discovery and sign-in, and the request is sent again with the token (a `403 insufficient_scope` steps up).
   * Interactive sign-ins happen inside the first request: give `handshakeTimeoutMs` room for the user.
   */
  auth?: RequestAuthorizer | undefined;
  /** Default: the global `fetch` (undici's in Node). */
  fetch?: typeof fetch | undefined;
  /** Default per request. Default 30 000. */
  requestTimeoutMs?: number | undefined;
  /** How long `initialize` may take. Default: `requestTimeoutMs`. */
  handshakeTimeoutMs?: number | undefined;
  /** Largest accepted message (JSON answer or SSE event). Default 64 MiB. */
  maxMessageBytes?: number | undefined;
  /**
   * Resuming an answer stream and re-opening the server stream: the server's `retry:` wins, kept within
   * `[minDelayMs, maxDelayMs]`.
   */
  reconnect?: (ReconnectOptions & { maxAttempts?: number | undefined }) | undefined;
  /** Sent as `clientInfo` in `initialize`. */
  clientInfo?: { name: string; version: string } | undefined;
  /**
   * The one MCP revision to speak (`2026-07-28`, `2025-11-25`, …). Default: the newest both sides speak —
   * `server/discover` first, then `initialize`.
   */
  protocolVersion?: string | undefined;
  /** pino-compatible; everything logged is redacted. */
  logger?: Logger | undefined;
  /** Aborting it while connecting rejects with its reason and closes what was opened. */
  signal?: AbortSignal | undefined;
  /** `@opentelemetry/api` (the module): a CLIENT span per MCP request, and `traceparent` on every HTTP request. */
  telemetry?: OpenTelemetryApi | undefined;
}

/**
 * A remote MCP server over MCP Streamable HTTP, with the surface of `LocalServer`: the same session logic (handshake,
 * handlers for the server's requests, progress, tool paging, output schemas), only the channel differs.
 * Runs anywhere `fetch` does.
 */
export class RemoteServer {
  readonly #channel: StreamableHttpChannel;
  readonly #options: RemoteServerOptions;
  readonly #outputSchemas = new OutputSchemas();
  readonly #toolHeaders: ToolHeaders;
  /** The handlers of the server's requests (and, in 2026-07-28, of the input a result asks for). */
  readonly #handlers: ReadonlyMap<string, RequestHandler>;
  readonly #releaseSecrets: (() => void)[];
  #info: McpSessionInfo | null = null;
  #closing: Promise<void> | null = null;

  private constructor(
    channel: StreamableHttpChannel,
    options: RemoteServerOptions,
    releaseSecrets: (() => void)[],
    toolHeaders: ToolHeaders,
  ) {
    this.#channel = channel;
    this.#toolHeaders = toolHeaders;
    this.#handlers = clientRequestHandlers(options);
    this.#options = options;
    this.#releaseSecrets = releaseSecrets;
  }

  /** Connects: the MCP handshake over HTTP, then the server's own stream. Options are checked first. */
  static async connect(options: RemoteServerOptions): Promise<RemoteServer> {
    if (typeof options !== 'object' || options === null) {
      throw new GatewayConfigError({ option: 'RemoteServer.connect', message: 'options must be an object' });
    }
    const base = parseGatewayUrl(options.url, 'url');
    const url = new URL(options.url);
    const headers = addCheckedHeaders({}, options.headers ?? {});
    const releaseSecrets = holdSecretHeaders(options.headers ?? {});
    const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
    if (typeof fetchImpl !== 'function')
      throw new GatewayConfigError({ message: 'No fetch available; pass options.fetch' });
    if (options.token !== undefined && typeof options.token !== 'function') {
      throw new GatewayConfigError({ option: 'token', message: 'must be a function returning the bearer token' });
    }
    const auth = checkAuthorizer(options.auth);
    if (auth !== undefined && options.token !== undefined) {
      throw new GatewayConfigError({ option: 'auth', message: 'cannot be given with token: pick one' });
    }
    const toolHeaders = new ToolHeaders();
    const channel = new StreamableHttpChannel({
      toolHeaders,
      url: new URL(base.origin + url.pathname + url.search),
      headers,
      token: options.token,
      auth,
      fetch: fetchImpl,
      requestTimeoutMs: checkPositive(options.requestTimeoutMs ?? 30_000, 'requestTimeoutMs'),
      maxMessageBytes: checkInteger(options.maxMessageBytes ?? 64 * 1024 * 1024, 'maxMessageBytes', 1),
      reconnect: checkReconnect(options.reconnect ?? {}),
      logger: redactingLogger(options.logger ?? silentLogger),
      telemetry: options.telemetry ? new Telemetry(options.telemetry, '@sark/transport-mcp-http', options.url) : null,
    });
    const server = new RemoteServer(channel, options, releaseSecrets, toolHeaders);
    for (const [method, handler] of server.#handlers) channel.peer.setRequestHandler(method, handler);
    const handshake = {
      handlers: options,
      clientInfo: options.clientInfo,
      signal: options.signal,
      timeoutMs: options.handshakeTimeoutMs,
      onVersion: (version: string) => (channel.protocolVersion = version),
      protocolVersion: options.protocolVersion,
    };
    try {
      // The newest revision both sides speak: 2026-07-28 where the server answers server/discover, else initialize.
      channel.protocolVersion = STATELESS_PROTOCOL_VERSION;
      const discovered = await discoverSession(server, handshake);
      if (discovered === null) channel.protocolVersion = null;
      server.#info = discovered ?? (await initializeSession(server, handshake));
    } catch (error) {
      await server.close();
      throw options.signal?.aborted ? options.signal.reason : error;
    }
    channel.peer.setRequestMeta(server.#info.requestMeta);
    channel.listen();
    return server;
  }

  get serverInfo(): McpServerInfo | null {
    return this.#info?.serverInfo ?? null;
  }

  get capabilities(): Readonly<Record<string, unknown>> | null {
    return this.#info?.capabilities ?? null;
  }

  /** The protocol version agreed in the handshake. */
  get protocolVersion(): string | null {
    return this.#info?.protocolVersion ?? null;
  }

  /** The server's `instructions` from the handshake (null when it sent none). */
  get instructions(): string | null {
    return this.#info?.instructions ?? null;
  }

  /** The `Mcp-Session-Id` the server gave (null for a stateless server). */
  get sessionId(): string | null {
    return this.#channel.sessionId;
  }

  getMetrics(): JsonRpcPeerMetrics & { readonly resumptions: number; readonly streamReconnections: number } {
    return { ...this.#channel.peer.getMetrics(), ...this.#channel.getMetrics() };
  }

  /** Sends a JSON-RPC request and resolves with its `result`. */
  sendRequest<T = unknown>(method: string, params?: unknown, options: RequestSendOptions = {}): Promise<T> {
    const context = { transport: 'tcp' as const, sessionId: this.sessionId, protocolVersion: this.protocolVersion };
    const peer = this.#channel.peer;
    const send = this.#channel.stateless
      ? () => withInputRounds<T>((next) => peer.request(method, next, options), params, this.#handlers, options.signal)
      : () => peer.request<T>(method, params, options);
    return tracedRequest(this.#channel.telemetry, method, params, context, send);
  }

  async sendNotification(method: string, params?: unknown): Promise<void> {
    this.#channel.peer.notify(method, params);
  }

  /** Adds a handler for the server's notifications; returns a function that removes it. */
  onNotification(handler: NotificationHandler): () => void {
    return this.#channel.peer.onNotification(handler);
  }

  /** Every tool the server offers, following `nextCursor` through all pages. */
  listTools(options: RequestSendOptions = {}): Promise<readonly McpTool[]> {
    return listAllTools(this, this.#outputSchemas, options, this.#toolHeaders);
  }

  /** Calls a tool (see `LocalServer.callTool`: progress options, `outputSchema` checked). */
  callTool(
    name: string,
    args: Readonly<Record<string, unknown>> = {},
    options: RequestSendOptions = {},
  ): Promise<McpCallToolResult> {
    return callTool(this, this.#outputSchemas, name, args, options);
  }

  /** Tells the server the roots changed (`notifications/roots/list_changed`). */
  async rootsChanged(): Promise<void> {
    if (typeof this.#options.roots !== 'function') {
      throw new GatewayConfigError({
        option: 'rootsChanged()',
        message: 'only a roots function can change (roots: () => …)',
      });
    }
    await this.sendNotification('notifications/roots/list_changed');
  }

  /** Aborts what is in flight, DELETEs the session, releases the secrets. Idempotent; later calls reject. */
  close(): Promise<void> {
    this.#closing ??= this.#channel.close().finally(() => {
      for (const release of this.#releaseSecrets.splice(0)) release();
    });
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** `reconnect` checked, defaults applied (`GatewayConfigError` naming the option). */
function checkReconnect(reconnect: NonNullable<RemoteServerOptions['reconnect']>): ChannelSettings['reconnect'] {
  return {
    ...checkReconnectOptions(reconnect, 'reconnect'),
    maxAttempts: checkInteger(reconnect.maxAttempts ?? 5, 'reconnect.maxAttempts', 1),
  };
}
