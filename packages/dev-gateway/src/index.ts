export {
  DevGatewayConfigError,
  parseDevGatewayConfig,
  type DevGatewayConfig,
  type DevServerConfig,
  type FaultConfig,
} from './config';
export { startDevGateway, type DevGateway, type StartDevGatewayOptions } from './start';
