export { createHttpClient } from './browser-http-client';
export { HttpTransport } from './browser-http-transport';
export * from './shared-exports';
