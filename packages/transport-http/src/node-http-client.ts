import { createFetchClient } from './fetch-client';
import { checkHttpClientArguments, type HttpClient, type HttpClientOptions } from './http-client';
import { createUndiciClient } from './undici-client';

/**
 * The HTTP client for one origin under Node: an undici `Pool` of `maxConnections` (default 16), or the `fetch` you
 * pass. Every client reads bodies within `maxResponseBytes`, reads only an excerpt of error answers, maps connection
 * failures to `GatewayNetworkError` and never follows a redirect. Shared with `@sark/opa`.
 */
export function createHttpClient(origin: string, options: HttpClientOptions = {}): HttpClient {
  checkHttpClientArguments(origin, options);
  return options.fetch
    ? createFetchClient(options.fetch)
    : createUndiciClient(origin, { maxConnections: options.maxConnections ?? 16 });
}
