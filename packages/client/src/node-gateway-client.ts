import { RemoteServer } from '@sark/transport-mcp-http';
import { LocalServerManager } from '@sark/transport-stdio';
import * as dialects from './dialects';
import { GatewayClientCore } from './gateway-client';
import type { GatewayClientOptions } from './options';

/** The SARK Gateway client for Node: HTTP, SSE and local stdio servers. */
export class GatewayClient extends GatewayClientCore {
  constructor(options: GatewayClientOptions = {}) {
    super(options, {
      createLocalServers: () => new LocalServerManager(),
      loadRemoteServer: async () => RemoteServer,
      loadDialects: async () => dialects,
    });
  }
}
