/**
 * MCP protocol versions this client speaks, newest first: 2026-07-28 (stateless: `server/discover`, no session) and
 * every version the official SDK client (1.32) accepts.
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = /* @__PURE__ */ Object.freeze([
  '2026-07-28',
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
  '2024-10-07',
]);
/** The version offered in `initialize` (the newest with a handshake). */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';
/** The stateless revision: asked for with `server/discover`, then carried by every request. */
export const STATELESS_PROTOCOL_VERSION = '2026-07-28';

/** What the server said about itself in the handshake. */
export interface McpServerInfo {
  readonly name: string;
  readonly version: string;
  readonly [key: string]: unknown;
}

/** One MCP tool as `tools/list` describes it. */
export interface McpTool {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** The result of `tools/call`. A tool's own failure is `isError: true`, not a JSON-RPC error. */
export interface McpCallToolResult {
  readonly content: readonly Readonly<Record<string, unknown>>[];
  readonly isError?: boolean;
  readonly structuredContent?: unknown;
  readonly [key: string]: unknown;
}

/** A root the client exposes to the server (`roots/list`). */
export interface McpRoot {
  readonly uri: string;
  readonly name?: string;
}

/** `sampling/createMessage` params, as the server sends them. */
export interface McpCreateMessageParams {
  readonly messages: readonly Readonly<Record<string, unknown>>[];
  readonly maxTokens: number;
  readonly systemPrompt?: string;
  readonly [key: string]: unknown;
}

/** What a sampling handler answers: the model's message. */
export interface McpCreateMessageResult {
  readonly role: 'assistant' | 'user';
  readonly content: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[];
  readonly model: string;
  readonly stopReason?: string;
  readonly [key: string]: unknown;
}

/**
 * `elicitation/create` params: in form mode a message and the schema of what is asked for; in URL mode a page for the
 * user to open (consent, a sign-in to a backend, a payment) — its outcome reaches the server by itself, the handler
 * only says whether the user went (`accept`), refused (`decline`) or dismissed it (`cancel`).
 */
export interface McpElicitParams {
  readonly message: string;
  /** `form` (also when the server sends none) or `url`. */
  readonly mode?: 'form' | 'url';
  /** Form mode: what is asked for (`{ type: 'object' }` in URL mode). */
  readonly requestedSchema: Readonly<Record<string, unknown>>;
  /** URL mode: the page to open (http or https). */
  readonly url?: string;
  readonly elicitationId?: string;
  readonly [key: string]: unknown;
}

/** What an elicitation handler answers. */
export interface McpElicitResult {
  readonly action: 'accept' | 'decline' | 'cancel';
  readonly content?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** The context a handler of a server request gets: `signal` aborts when the server cancels or the connection ends. */
export interface McpHandlerContext {
  readonly signal: AbortSignal;
}

/**
 * Handlers for the requests an MCP server sends its client. A capability is advertised only when its handler is
 * given; without one the server's request gets -32601.
 */
export interface McpClientHandlers {
  /** Answers `sampling/createMessage` (advertises `sampling`). */
  sampling?:
    ((params: McpCreateMessageParams, context: McpHandlerContext) => Promise<McpCreateMessageResult>) | undefined;
  /**
   * Answers `elicitation/create` in form and URL mode (advertises `elicitation.form` and `elicitation.url`;
   * `params.mode` says which). The requested schema's `default`s are filled into accepted form content the handler
   * left them out of (SEP-1034). Without it, a server that needs the user at a page makes the call fail with
   * `UrlElicitationRequiredError`, which carries the URL.
   */
  elicitation?: ((params: McpElicitParams, context: McpHandlerContext) => Promise<McpElicitResult>) | undefined;
  /**
   * Answers `roots/list` (advertises `roots`; `listChanged` when a function is given — then call `rootsChanged()`
   * when its answer changes).
   */
  roots?: readonly McpRoot[] | (() => Promise<readonly McpRoot[]>) | undefined;
}
