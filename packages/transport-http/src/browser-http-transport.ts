import { GatewayConfigError } from '@sark/core';
import { createFetchClient } from './fetch-client';
import { HttpTransportCore, type HttpTransportOptions } from './http-transport';

/** The gateway REST client for browsers, workers and edge runtimes: `fetch` (the global one, or the one you pass). */
export class HttpTransport extends HttpTransportCore {
  constructor(options: HttpTransportOptions) {
    super(options, (_origin, { fetch }) => {
      const fetchImpl = fetch ?? globalThis.fetch?.bind(globalThis);
      if (!fetchImpl) throw new GatewayConfigError({ message: 'No fetch available in this runtime; pass options.fetch' });
      return createFetchClient(fetchImpl);
    });
  }
}
