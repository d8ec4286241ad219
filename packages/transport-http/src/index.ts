export { HttpTransport } from './node-http-transport';
export * from './shared-exports';
