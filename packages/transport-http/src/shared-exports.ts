export type { HttpTransportMetrics, HttpTransportOptions } from './http-transport';
export type { ResponseCacheMetrics, ResponseCacheOptions } from './response-cache';
export { MAX_PAGE_SIZE } from './pagination';
