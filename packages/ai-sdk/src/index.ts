export { gatewayTools, parametersSchema } from './gateway-tools';
export type { GatewayToolsClient, GatewayToolsOptions } from './gateway-tools';
export type { ToolSelection } from './tool-selection';
export { localServerTools, mcpServerTools, remoteServerTools } from './mcp-server-tools';
export type { McpServerToolsOptions, McpToolDescription, McpToolServer } from './mcp-server-tools';
export { ToolCallError, modelReadableError } from './tool-error';
export { MAX_TOOL_NAME_LENGTH, uniqueToolNames } from './tool-names';
