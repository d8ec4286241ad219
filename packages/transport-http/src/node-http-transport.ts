import { HttpTransportCore, type HttpTransportOptions } from './http-transport';
import { createHttpClient } from './node-http-client';

/** The gateway REST client for Node: an undici `Pool` (or the `fetch` you pass). */
export class HttpTransport extends HttpTransportCore {
  constructor(options: HttpTransportOptions) {
    super(options, createHttpClient);
  }
}
