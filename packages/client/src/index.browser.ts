import { GatewayClientCore } from './gateway-client';
import type { GatewayClientOptions } from './options';

/**
 * The SARK Gateway client for browsers, workers and edge runtimes: HTTP and SSE. `connectLocalServer` throws
 * `TransportNotAvailableError` (local servers need Node).
 */
export class GatewayClient extends GatewayClientCore {
  constructor(options: GatewayClientOptions = {}) {
    super(options, null);
  }
}

// esbuild keeps an external `export *` only at the entry, so core's names are re-exported here.
export * from '@sark/core';
export * from './shared-exports';
