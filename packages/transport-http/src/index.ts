export { createHttpClient } from './node-http-client';
export { HttpTransport } from './node-http-transport';
export * from './shared-exports';
