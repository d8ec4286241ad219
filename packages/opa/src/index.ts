export { OPAClient } from './node-opa-client';
export * from './shared-exports';
