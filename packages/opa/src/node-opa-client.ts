import { OPAClientCore, type OPAClientOptions } from './opa-client';
import { createFetchOpaHttp } from './opa-http.fetch';
import { createUndiciOpaHttp } from './opa-http.undici';

/** OPA's REST Data API client for Node: undici (or the `fetch` you pass). */
export class OPAClient extends OPAClientCore {
  constructor(options: OPAClientOptions = {}) {
    super(options, (origin, fetchImpl) => (fetchImpl ? createFetchOpaHttp(origin, fetchImpl) : createUndiciOpaHttp(origin)));
  }
}
