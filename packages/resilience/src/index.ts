export { JITTER_RATIO, backoffDelay, type BackoffOptions } from '@sark/core';
export * from './circuit-breaker';
export * from './classify';
export * from './error-handler';
export * from './retry';
export * from './timeout';
