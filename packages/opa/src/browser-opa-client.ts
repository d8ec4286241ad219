import { GatewayConfigError } from '@sark/core';
import { OPAClientCore, type OPAClientOptions } from './opa-client';
import { createFetchOpaHttp } from './opa-http.fetch';

/** OPA's REST Data API client for browsers, workers and edge runtimes: `fetch`. */
export class OPAClient extends OPAClientCore {
  constructor(options: OPAClientOptions = {}) {
    super(options, (origin, fetchImpl) => {
      const impl = fetchImpl ?? globalThis.fetch?.bind(globalThis);
      if (!impl) throw new GatewayConfigError({ message: 'No fetch available in this runtime; pass options.fetch' });
      return createFetchOpaHttp(origin, impl);
    });
  }
}
