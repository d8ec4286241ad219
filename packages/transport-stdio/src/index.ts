export { LocalServer, defaultServerId } from './local-server';
export type { LocalServerHealth, LocalServerOptions, RestartOptions } from './local-server';
export { LocalServerManager } from './local-server-manager';
export { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@sark/mcp';
export type {
  McpCallToolResult,
  McpClientHandlers,
  McpCreateMessageParams,
  McpCreateMessageResult,
  McpElicitParams,
  McpElicitResult,
  McpHandlerContext,
  McpRoot,
  McpServerInfo,
  McpTool,
} from '@sark/mcp';
export { StdioTransport } from './stdio-transport';
export type { ExitInfo, StdioTransportOptions, StopOptions } from './stdio-transport';
export type { ChildEnvOptions } from './child-env';
export type {
  JsonRpcPeerMetrics,
  JsonRpcRequestOptions,
  NotificationHandler,
  PeerDiagnosis,
  RequestHandler,
} from '@sark/mcp';
