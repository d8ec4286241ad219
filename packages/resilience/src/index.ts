export { backoffDelay } from '@sark/core/internal';
export type { BackoffOptions } from '@sark/core/internal';
export { CircuitBreaker } from './circuit-breaker';
export type {
  CircuitBreakerEvents,
  CircuitBreakerMetrics,
  CircuitBreakerOptions,
  CircuitState,
} from './circuit-breaker';
export { RETRYABLE_STATUSES, isBreakerFailure, isRetryableError, isUnsentFailure } from './classify';
export { BREAKER_DEFAULTS, RETRY_DEFAULTS, TIMEOUT_DEFAULT_MS } from './defaults';
export { ErrorHandler } from './error-handler';
export type { ErrorHandlerMetrics, ErrorHandlerOptions } from './error-handler';
export type { Policy, PolicyContext } from './policy';
export { RetryPolicy } from './retry-policy';
export type { RetryEvent, RetryPolicyOptions, RetrySettings } from './retry-policy';
export { withTimeout } from './timeout';
export type { WithTimeoutOptions } from './timeout';
export { TimeoutPolicy } from './timeout-policy';
export type { TimeoutPolicyOptions } from './timeout-policy';
export { wrap } from './wrap';
