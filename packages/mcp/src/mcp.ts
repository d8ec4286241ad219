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

/** `elicitation/create` params in form mode: a message and the schema of what is asked for. */
export interface McpElicitParams {
  readonly message: string;
  readonly requestedSchema: Readonly<Record<string, unknown>>;
  readonly mode?: 'form';
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
   * Answers form-mode `elicitation/create` (advertises `elicitation.form`). The requested schema's `default`s are
   * filled into accepted content the handler left them out of (SEP-1034).
   */
  elicitation?: ((params: McpElicitParams, context: McpHandlerContext) => Promise<McpElicitResult>) | undefined;
  /**
   * Answers `roots/list` (advertises `roots`; `listChanged` when a function is given — then call `rootsChanged()`
   * when its answer changes).
   */
  roots?: readonly McpRoot[] | (() => Promise<readonly McpRoot[]>) | undefined;
}
