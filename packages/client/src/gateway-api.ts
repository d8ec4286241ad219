import type {
  InvokeOptions,
  InvokeResult,
  ListServersOptions,
  ListToolsOptions,
  OperationOptions,
  Page,
  ProbeResult,
  ServerInfo,
  ToolInfo,
} from '@sark/core';
import type { HttpTransportMetrics } from '@sark/transport-http';

/**
 * The gateway APIs a `GatewayClient` speaks: `'sark'` (`/api/v1/*`, the default), `'mcp-gateway-registry'` (the MCP
 * Gateway Registry's `/api/*` catalog, tools called over MCP at `/{path}/mcp`), `'mcp'` (one aggregated MCP endpoint
 * at `gatewayUrl`).
 */
export type GatewayDialect = 'sark' | 'mcp-gateway-registry' | 'mcp';

/** Every value of the `dialect` option: a {@link GatewayDialect}, or `'auto'` to ask the gateway once. */
export const GATEWAY_DIALECTS: readonly (GatewayDialect | 'auto')[] = Object.freeze([
  'sark',
  'mcp-gateway-registry',
  'mcp',
  'auto',
]);

/**
 * What the client asks of one gateway API — one implementation per dialect (`HttpTransport` for `'sark'`). The client
 * wraps every call the same way (policy, breaker, retry, telemetry); an implementation only speaks its wire.
 */
export interface GatewayApi {
  listServersPage(options: ListServersOptions): Promise<Page<ServerInfo>>;
  listAllServers(options: Omit<ListServersOptions, 'page'>): Promise<readonly ServerInfo[]>;
  getServer(serverName: string, options: OperationOptions & { userToken?: string | undefined }): Promise<ServerInfo>;
  listTools(options: ListToolsOptions): Promise<readonly ToolInfo[]>;
  listAllTools(options: Omit<ListToolsOptions, 'page'>): Promise<readonly ToolInfo[]>;
  invoke(options: InvokeOptions): Promise<InvokeResult>;
  health(options: OperationOptions): Promise<ProbeResult>;
  clearCache(): void;
  getMetrics(): HttpTransportMetrics;
  close(): Promise<void>;
}
