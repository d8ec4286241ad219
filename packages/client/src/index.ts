export { GatewayClient } from './node-gateway-client';
export { LocalServer, LocalServerManager } from '@sark/transport-stdio';
export type { LocalServerHealth, LocalServerOptions } from '@sark/transport-stdio';
export * from './shared-exports';
