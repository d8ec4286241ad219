export * from './backoff';
export * from './circuit-breaker';
export * from './classify';
export * from './error-handler';
export * from './retry';
export * from './sleep';
export * from './timeout';
