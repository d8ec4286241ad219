import { GatewayConfigError } from '@sark/core';
import { createFetchClient } from './fetch-client';
import { checkHttpClientArguments, type HttpClient, type HttpClientOptions } from './http-client';

/**
 * The HTTP client for browsers, workers and edge runtimes: `fetch` (the one you pass, or the global one). Bodies are
 * read within `maxResponseBytes`, error answers only as an excerpt, connection failures are `GatewayNetworkError`,
 * redirects are never followed. Shared with `@sark/opa`.
 */
export function createHttpClient(_origin: string, options: HttpClientOptions = {}): HttpClient {
  checkHttpClientArguments(_origin, options);
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (!fetchImpl) throw new GatewayConfigError({ message: 'No fetch available in this runtime; pass options.fetch' });
  return createFetchClient(fetchImpl);
}
