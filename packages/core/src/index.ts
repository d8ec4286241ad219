export * from './models';
export * from './errors';
export * from './parse';
export * from './redact';
export * from './logger';
export * from './jsonrpc';
export * from './transport';
export * from './wire-reader';
