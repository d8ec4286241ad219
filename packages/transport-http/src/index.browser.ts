export { HttpTransport } from './browser-http-transport';
export * from './shared-exports';
