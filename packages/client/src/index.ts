import { LocalServerManager } from '@sark/transport-stdio';
import { GatewayClientCore } from './gateway-client';
import type { GatewayClientOptions } from './options';

/** The SARK Gateway client for Node: HTTP, SSE and local stdio servers. */
export class GatewayClient extends GatewayClientCore {
  constructor(options: GatewayClientOptions = {}) {
    super(options, () => new LocalServerManager());
  }
}

export { LocalServer, LocalServerManager } from '@sark/transport-stdio';
export type { LocalServerHealth, McpCallToolResult, McpTool } from '@sark/transport-stdio';
// esbuild keeps an external `export *` only at the entry, so core's names are re-exported here.
export * from '@sark/core';
export * from './shared-exports';
