/** MCP protocol versions this client speaks, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = Object.freeze([
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
]);
/** The version offered in `initialize`. */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';

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
