export { RemoteServer } from './remote-server';
export type { RemoteServerOptions } from './remote-server';
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
