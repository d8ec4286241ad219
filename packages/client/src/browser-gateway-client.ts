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
