export { GatewayClient } from './browser-gateway-client';
export * from './shared-exports';
