export * from './child-env';
export * from './json-rpc-peer';
export * from './line-splitter';
export * from './local-server';
export * from './local-server-manager';
export * from './mcp';
export * from './stdio-transport';
