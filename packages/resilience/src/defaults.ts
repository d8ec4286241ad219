import { BACKOFF_DEFAULTS } from '@sark/core/internal';

/** The retry defaults of BEHAVIOUR.md (`retry({ maxAttempts: 3, initialDelayMs: 1000, … })`). */
export const RETRY_DEFAULTS = /* @__PURE__ */ Object.freeze({ maxAttempts: 3, ...BACKOFF_DEFAULTS });

/** The circuit-breaker defaults of BEHAVIOUR.md. */
export const BREAKER_DEFAULTS = /* @__PURE__ */ Object.freeze({
  failureThreshold: 5,
  resetTimeoutMs: 30_000,
  successThreshold: 2,
  halfOpenMaxCalls: 3,
  rollingWindowMs: 10_000,
});

/** The per-attempt deadline an `ErrorHandler` gives operations by default. */
export const TIMEOUT_DEFAULT_MS = 30_000;
