import { createHttpClient } from './browser-http-client';
import { HttpTransportCore, type HttpTransportOptions } from './http-transport';

/** The gateway REST client for browsers, workers and edge runtimes: `fetch` (the global one, or the one you pass). */
export class HttpTransport extends HttpTransportCore {
  constructor(options: HttpTransportOptions) {
    super(options, createHttpClient);
  }
}
