export { OPAClient } from './browser-opa-client';
export * from './shared-exports';
