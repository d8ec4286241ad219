import {
  GatewayConfigError,
  GatewayHttpError,
  GatewayProtocolError,
  JsonRpcError,
  type RequestSendOptions,
} from '@sark/core';
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
  STATELESS_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type McpCallToolResult,
  type McpClientHandlers,
  type McpServerInfo,
  type McpTool,
} from './mcp';
import type { OutputSchemas } from './output-schemas';
import { mirroredParameters, type ToolHeaders } from './tool-headers';

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
  /**
   * What every request carries in `params._meta` (2026-07-28: protocol version, capabilities, client info); `null`
   * for the versions with a handshake.
   */
  readonly requestMeta: Readonly<Record<string, unknown>> | null;
}

/** Options of {@link initializeSession}. */
export interface InitializeOptions extends RequestSendOptions {
  readonly handlers: McpClientHandlers;
  /** Sent as `clientInfo`. Default {@link DEFAULT_CLIENT_INFO}. */
  readonly clientInfo?: { name: string; version: string } | undefined;
  /** Hears the version agreed before anything else is sent (HTTP puts it on every later request). */
  readonly onVersion?: ((version: string) => void) | undefined;
  /** The one revision to speak (default: the newest both sides speak); anything else the server answers is refused. */
  readonly protocolVersion?: string | undefined;
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
  const { handlers, clientInfo, onVersion, protocolVersion, ...requestOptions } = checkObject(
    options,
    'initializeSession(options)',
  );
  const pinned = checkPinnedVersion(protocolVersion);
  const params = {
    protocolVersion: pinned ?? LATEST_PROTOCOL_VERSION,
    capabilities: clientCapabilities(handlers),
    clientInfo: clientInfo ?? DEFAULT_CLIENT_INFO,
  };
  const result = await channel.sendRequest<unknown>('initialize', params, requestOptions);
  if (!isWireObject(result)) throw new GatewayProtocolError({ message: 'initialize: expected a result object' });
  const version = result['protocolVersion'];
  if (pinned !== undefined && version !== pinned) {
    throw new GatewayProtocolError({
      message: `The server answered MCP ${redactedExcerpt(String(version), 40)} where ${pinned} was asked for`,
      field: 'protocolVersion',
    });
  }
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
    requestMeta: null,
  };
  onVersion?.(version);
  await channel.sendNotification('notifications/initialized');
  return info;
}

/** The `_meta` every 2026-07-28 request carries (SEP-2575). */
export function statelessRequestMeta(
  handlers: McpClientHandlers,
  clientInfo: { name: string; version: string } = DEFAULT_CLIENT_INFO,
): Readonly<Record<string, unknown>> {
  return Object.freeze({
    'io.modelcontextprotocol/protocolVersion': STATELESS_PROTOCOL_VERSION,
    'io.modelcontextprotocol/clientCapabilities': clientCapabilities(handlers),
    'io.modelcontextprotocol/clientInfo': clientInfo,
  });
}

/** A pinned revision: one this client speaks, or `undefined`. */
function checkPinnedVersion(version: unknown): string | undefined {
  if (version === undefined) return undefined;
  if (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    throw new GatewayConfigError({
      option: 'protocolVersion',
      message: `must be one of ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
    });
  }
  return version;
}

/** HTTP statuses with which a server that predates 2026-07-28 refuses `server/discover`. */
const NOT_DISCOVERABLE = new Set([400, 404, 405, 406, 415, 422]);
/** JSON-RPC: the protocol version asked for is not one the server speaks (2026-07-28). */
const UNSUPPORTED_VERSION = -32022;

/** The versions a `-32022` refusal lists as supported (from a JSON-RPC error, or the body of an HTTP one). */
function supportedInRefusal(error: unknown): readonly string[] | null {
  let payload: unknown = null;
  if (error instanceof JsonRpcError && error.rpcCode === UNSUPPORTED_VERSION)
    payload = { code: error.rpcCode, data: error.data };
  else if (error instanceof GatewayHttpError && error.body !== null) {
    try {
      const parsed: unknown = JSON.parse(error.body);
      payload = isWireObject(parsed) ? parsed['error'] : null;
    } catch {
      payload = null;
    }
  }
  if (!isWireObject(payload) || payload['code'] !== UNSUPPORTED_VERSION || !isWireObject(payload['data'])) return null;
  const supported = payload['data']['supported'];
  return Array.isArray(supported) ? supported.filter((v): v is string => typeof v === 'string').slice(0, 32) : [];
}

/**
 * MCP 2026-07-28's start: `server/discover` (with the request `_meta` every request carries). Resolves with the
 * session when the server speaks 2026-07-28, `null` when it does not (it predates `server/discover`, or offers only
 * older versions: the caller falls back to {@link initializeSession}). A `-32022` refusal that lists 2026-07-28 is
 * answered by asking once more. Any other failure (authorization, network, timeout) rejects.
 */
export async function discoverSession(channel: McpChannel, options: InitializeOptions): Promise<McpSessionInfo | null> {
  checkChannel(channel);
  const { handlers, clientInfo, onVersion, protocolVersion, ...requestOptions } = checkObject(
    options,
    'discoverSession(options)',
  );
  // Pinned to a revision with a handshake: nothing to discover.
  if (checkPinnedVersion(protocolVersion) !== undefined && protocolVersion !== STATELESS_PROTOCOL_VERSION) return null;
  const requestMeta = statelessRequestMeta(handlers, clientInfo);
  let result: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      result = await channel.sendRequest<unknown>('server/discover', { _meta: requestMeta }, requestOptions);
      break;
    } catch (error) {
      const supported = supportedInRefusal(error);
      if (supported !== null) {
        if (supported.includes(STATELESS_PROTOCOL_VERSION) && attempt === 0) continue;
        return null;
      }
      if (error instanceof JsonRpcError) return null;
      if (error instanceof GatewayHttpError && NOT_DISCOVERABLE.has(error.status)) return null;
      throw error;
    }
  }
  if (!isWireObject(result) || !Array.isArray(result['supportedVersions'])) return null;
  const offered = result['supportedVersions'].filter((v): v is string => typeof v === 'string').slice(0, 32);
  if (!offered.includes(STATELESS_PROTOCOL_VERSION)) {
    if (offered.some((version) => SUPPORTED_PROTOCOL_VERSIONS.includes(version))) return null;
    throw new GatewayProtocolError({
      message:
        `The server speaks MCP ${offered.map((v) => redactedExcerpt(v, 40)).join(', ') || 'no version'}, none of ` +
        `which this client speaks (${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      field: 'supportedVersions',
    });
  }
  const meta = isWireObject(result['_meta']) ? result['_meta'] : {};
  const serverInfo = result['serverInfo'] ?? meta['io.modelcontextprotocol/serverInfo'];
  onVersion?.(STATELESS_PROTOCOL_VERSION);
  return {
    protocolVersion: STATELESS_PROTOCOL_VERSION,
    serverInfo: isWireObject(serverInfo) ? (serverInfo as McpServerInfo) : null,
    capabilities: isWireObject(result['capabilities']) ? result['capabilities'] : {},
    instructions: typeof result['instructions'] === 'string' ? result['instructions'] : null,
    requestMeta,
  };
}

/**
 * Every tool, following `nextCursor` through all pages — bounded (`DEFAULT_PAGING_LIMITS`), and a cursor seen twice
 * is a `GatewayProtocolError` rather than an endless loop. The tools' output schemas are remembered in `schemas`.
 */
export async function listAllTools(
  channel: McpChannel,
  schemas: OutputSchemas,
  options: RequestSendOptions = {},
  headers?: ToolHeaders,
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
  // A tool with an invalid x-mcp-header annotation (SEP-2243) must not be called: it is left out, the others kept.
  const callable = tools.filter((tool) => isWireObject(tool) && mirroredParameters(tool) !== null);
  schemas.remember(callable);
  headers?.remember(callable);
  return callable;
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
