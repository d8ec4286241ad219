export { clientCapabilities, clientRequestHandlers, withDefaults } from './client-handlers';
export { JsonRpcPeer, MAX_CONCURRENT_SERVER_REQUESTS } from './json-rpc-peer';
export type {
  JsonRpcPeerMetrics,
  JsonRpcRequestOptions,
  MessageWriter,
  NotificationHandler,
  OutgoingMessage,
  PeerDiagnosis,
  RequestHandler,
} from './json-rpc-peer';
export { LATEST_PROTOCOL_VERSION, STATELESS_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from './mcp';
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
} from './mcp';
export { withInputRounds } from './input-rounds';
export { OutputSchemas } from './output-schemas';
export {
  DEFAULT_CLIENT_INFO,
  callTool,
  describeUnansweredHandshake,
  discoverSession,
  initializeSession,
  listAllTools,
  statelessRequestMeta,
} from './session';
export type { InitializeOptions, McpChannel, McpSessionInfo } from './session';
export { ToolHeaders, encodeHeaderValue, mirroredParameters } from './tool-headers';
export { tracedRequest } from './traced-request';
export type { McpSpanContext } from './traced-request';
