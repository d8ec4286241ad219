import { createFetchClient } from './fetch-client';
import { HttpTransportCore, type HttpTransportOptions } from './http-transport';
import { createUndiciClient } from './undici-client';

/** The gateway REST client for Node: an undici `Pool` (or the `fetch` you pass). */
export class HttpTransport extends HttpTransportCore {
  constructor(options: HttpTransportOptions) {
    super(options, (origin, { maxConnections, fetch }) =>
      fetch ? createFetchClient(fetch) : createUndiciClient(origin, { maxConnections }),
    );
  }
}
