import { GatewayClientCore } from './gateway-client';
import type { GatewayClientOptions } from './options';

/**
 * The SARK Gateway client for browsers, workers and edge runtimes: HTTP and SSE. `connectLocalServer` throws
 * `TransportNotAvailableError` (local servers need Node).
 */
export class GatewayClient extends GatewayClientCore {
  constructor(options: GatewayClientOptions = {}) {
    // RemoteServer is loaded on first use: an app that never connects a remote MCP server does not download the MCP
    // session, its JSON Schema validator and the Streamable HTTP transport (a bundler makes them a chunk of their own).
    super(options, {
      createLocalServers: null,
      loadRemoteServer: () => import('@sark/transport-mcp-http').then((module) => module.RemoteServer),
      // The registry and aggregated-MCP dialects likewise: a chunk loaded by the first call that needs one.
      loadDialects: () => import('./dialects'),
    });
  }
}
