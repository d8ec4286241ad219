export type { HttpTransportMetrics, HttpTransportOptions } from './http-transport';
export {
  ResponseCache,
  checkCacheOptions,
  type ResponseCacheMetrics,
  type ResponseCacheOptions,
} from './response-cache';
export { MAX_PAGE_SIZE } from '@sark/core';
export type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from './http-client';
