import { GatewayProtocolError, type RequestSendOptions } from '@sark/core';
import {
  DEFAULT_PAGING_LIMITS,
  checkFunction,
  checkNonNegative,
  checkObject,
  checkOptionsObject,
  checkString,
  isWireObject,
  redactedExcerpt,
} from '@sark/core/internal';
import { clientCapabilities } from './client-handlers';
import type { PeerDiagnosis } from './json-rpc-peer';
import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type McpCallToolResult,
  type McpClientHandlers,
  type McpServerInfo,
  type McpTool,
} from './mcp';
import type { OutputSchemas } from './output-schemas';

/** What the MCP session needs of a connection: requests and notifications, whatever carries them. */
export interface McpChannel {
  sendRequest<T = unknown>(method: string, params?: unknown, options?: RequestSendOptions): Promise<T>;
  sendNotification(method: string, params?: unknown): Promise<void>;
}

/** What the handshake established. */
export interface McpSessionInfo {
  readonly protocolVersion: string;
  readonly serverInfo: McpServerInfo | null;
  readonly capabilities: Readonly<Record<string, unknown>>;
  /** The server's instructions for a model's system prompt, when it sent any. */
  readonly instructions: string | null;
}

/** Options of {@link initializeSession}. */
export interface InitializeOptions extends RequestSendOptions {
  readonly handlers: McpClientHandlers;
  /** Sent as `clientInfo`. Default {@link DEFAULT_CLIENT_INFO}. */
  readonly clientInfo?: { name: string; version: string } | undefined;
}

/** The `clientInfo` of every @sark MCP client unless the caller names its own. */
export const DEFAULT_CLIENT_INFO = /* @__PURE__ */ Object.freeze({ name: 'sark-gateway-js', version: '0.1.0' });

/** A channel: something that sends requests (`GatewayConfigError` otherwise). */
function checkChannel(channel: McpChannel): void {
  checkFunction((channel as Partial<McpChannel> | null)?.sendRequest, 'channel.sendRequest');
}

/**
 * The MCP handshake: `initialize` (advertising exactly the capabilities of the handlers given), a check of the
 * version the server chose (any of {@link SUPPORTED_PROTOCOL_VERSIONS}, else `GatewayProtocolError`), then
 * `notifications/initialized`.
 */
export async function initializeSession(channel: McpChannel, options: InitializeOptions): Promise<McpSessionInfo> {
  checkChannel(channel);
  const { handlers, clientInfo, ...requestOptions } = checkObject(options, 'initializeSession(options)');
  const params = {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: clientCapabilities(handlers),
    clientInfo: clientInfo ?? DEFAULT_CLIENT_INFO,
  };
  const result = await channel.sendRequest<unknown>('initialize', params, requestOptions);
  if (!isWireObject(result)) throw new GatewayProtocolError({ message: 'initialize: expected a result object' });
  const version = result['protocolVersion'];
  if (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    throw new GatewayProtocolError({
      message:
        `The server speaks MCP protocol version ${redactedExcerpt(String(version), 40)}, which this client does not ` +
        `support (${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      field: 'protocolVersion',
    });
  }
  const info: McpSessionInfo = {
    protocolVersion: version,
    serverInfo: isWireObject(result['serverInfo']) ? (result['serverInfo'] as McpServerInfo) : null,
    capabilities: isWireObject(result['capabilities']) ? result['capabilities'] : {},
    instructions: typeof result['instructions'] === 'string' ? result['instructions'] : null,
  };
  await channel.sendNotification('notifications/initialized');
  return info;
}

/**
 * Every tool, following `nextCursor` through all pages — bounded (`DEFAULT_PAGING_LIMITS`), and a cursor seen twice
 * is a `GatewayProtocolError` rather than an endless loop. The tools' output schemas are remembered in `schemas`.
 */
export async function listAllTools(
  channel: McpChannel,
  schemas: OutputSchemas,
  options: RequestSendOptions = {},
): Promise<readonly McpTool[]> {
  checkChannel(channel);
  const { maxPages, maxItems } = DEFAULT_PAGING_LIMITS;
  const tools: McpTool[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await channel.sendRequest<unknown>('tools/list', cursor === undefined ? {} : { cursor }, options);
    if (!isWireObject(page) || !Array.isArray(page['tools']))
      throw new GatewayProtocolError({ message: 'tools/list: expected {"tools": [...]}', field: 'tools' });
    tools.push(...(page['tools'] as McpTool[]));
    if (tools.length > maxItems)
      throw new GatewayProtocolError({ message: `tools/list: more than ${maxItems} tools; stopped` });
    cursor = typeof page['nextCursor'] === 'string' && page['nextCursor'] !== '' ? page['nextCursor'] : undefined;
    if (cursor === undefined) break;
    // A cursor seen before would page in a circle: the server is broken, and the loop ends here.
    if (seen.has(cursor))
      throw new GatewayProtocolError({
        message: `tools/list: the server sent cursor ${JSON.stringify(cursor.slice(0, 80))} a second time`,
        field: 'nextCursor',
      });
    seen.add(cursor);
    if (seen.size >= maxPages)
      throw new GatewayProtocolError({ message: `tools/list: more than ${maxPages} pages; stopped` });
  } while (cursor !== undefined);
  schemas.remember(tools);
  return tools;
}

/** Calls a tool and checks the result's shape and, when the tool has one, its `outputSchema`. */
export async function callTool(
  channel: McpChannel,
  schemas: OutputSchemas,
  name: string,
  args: Readonly<Record<string, unknown>>,
  options: RequestSendOptions = {},
): Promise<McpCallToolResult> {
  checkChannel(channel);
  checkString(name, 'callTool(name)');
  const result = await channel.sendRequest<unknown>('tools/call', { name, arguments: args }, options);
  if (!isWireObject(result) || !Array.isArray(result['content'])) {
    throw new GatewayProtocolError({ message: `tools/call ${name}: expected {"content": [...]}`, field: 'content' });
  }
  schemas.check(name, result as McpCallToolResult);
  return result as McpCallToolResult;
}

/**
 * Why `initialize` got no answer, from what the peer did receive: a program that is not an MCP server (quoting the
 * start of its output), a server that echoes ids as strings, or silence (with `stderr`, when there is any).
 */
export function describeUnansweredHandshake(diagnosis: PeerDiagnosis, timeoutMs: number, stderr = ''): string {
  const { firstSkippedLine, firstUnmatchedId } = checkObject(diagnosis, 'describeUnansweredHandshake(diagnosis)');
  checkNonNegative(timeoutMs, 'describeUnansweredHandshake(timeoutMs)');
  checkString(stderr, 'describeUnansweredHandshake(stderr)');
  const waited = `no initialize response within ${timeoutMs} ms`;
  if (typeof firstUnmatchedId === 'string') {
    return (
      `The server does not echo JSON-RPC ids as sent: ${waited}, but an answer with id ` +
      `${JSON.stringify(firstUnmatchedId.slice(0, 40))} (a string, where the request's id is a number)`
    );
  }
  if (firstSkippedLine !== null) {
    const began = JSON.stringify(redactedExcerpt(firstSkippedLine, 120));
    return `Not an MCP server: ${waited}; its output began with ${began}`;
  }
  if (firstUnmatchedId !== null) {
    return `The server answered a request that was never sent (id ${String(firstUnmatchedId)}): ${waited}`;
  }
  const tail = stderr.trim();
  const said = tail === '' ? '' : `; stderr ends with ${JSON.stringify(redactedExcerpt(tail.slice(-200), 200))}`;
  return `Not an MCP server, or a stuck one: ${waited} and no output${said}`;
}
