import { ClientClosedError, type OperationOptions } from '@sark/core';
import {
  type Resolved,
  checkBoolean,
  checkInteger,
  checkNonNegative,
  checkPositive,
  delay,
  type StopDelay,
} from '@sark/core/internal';
import { RETRY_DEFAULTS, TIMEOUT_DEFAULT_MS } from './defaults';
import { CircuitBreaker, type CircuitBreakerMetrics, type CircuitBreakerOptions } from './circuit-breaker';
import { isRetryableError } from './classify';
import { retry, type RetryEvent, type RetryOptions } from './retry';
import { withTimeout } from './timeout';

/** Retry settings of an {@link ErrorHandler} (API.md `retry`). */
export interface RetryPolicyOptions {
  maxAttempts?: number | undefined;
  initialDelayMs?: number | undefined;
  maxDelayMs?: number | undefined;
  exponentialBase?: number | undefined;
  jitter?: boolean | undefined;
}

/** Options of an {@link ErrorHandler}. */
export interface ErrorHandlerOptions {
  /** Circuit breaker + retry. When false, only the per-attempt timeout applies and errors surface raw. Default true. */
  enabled?: boolean | undefined;
  circuitBreaker?: CircuitBreakerOptions | undefined;
  retry?: RetryPolicyOptions | undefined;
  /** Per-attempt deadline. Default 30 000. */
  timeoutMs?: number | undefined;
  /** Called before each retry wait. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Randomness for jitter (tests). */
  random?: (() => number) | undefined;
}

/** Options of one {@link ErrorHandler.execute} call. */
export interface ExecuteOptions extends OperationOptions {
  /** Per-attempt deadline for this call. `Infinity` sets none here, for operations that enforce their own. */
  timeoutMs?: number | undefined;
  /**
   * Whether the operation may run more than once. Non-idempotent operations get exactly one attempt; an invocation
   * becomes idempotent by carrying the same Idempotency-Key on every attempt. Default true.
   */
  idempotent?: boolean | undefined;
  /** Classifier for this call. Default {@link isRetryableError}. */
  retryOn?: ((error: unknown, attempt: number) => boolean) | undefined;
}

/** A snapshot of the handler (API.md `ClientMetrics.errorHandler`). */
export interface ErrorHandlerMetrics {
  readonly circuitBreaker: CircuitBreakerMetrics;
  readonly retry: { readonly maxAttempts: number; readonly initialDelayMs: number; readonly maxDelayMs: number };
  readonly defaultTimeoutMs: number;
}

/**
 * The client's one layer of failure handling: circuit breaker → retry → per-attempt timeout → the operation.
 * The breaker sees one outcome per operation (after its retries); each attempt gets its own deadline through an
 * `AbortSignal`, so a timed-out request is really cancelled.
 */
export class ErrorHandler {
  readonly breaker: CircuitBreaker | null;
  readonly #retry: Resolved<RetryPolicyOptions>;
  readonly #timeoutMs: number;
  readonly #retryOptions: RetryOptions;
  readonly #singleAttempt: RetryOptions;
  /** Calls waiting between attempts; `close()` ends their waits at once. */
  readonly #waiting = new Set<StopDelay>();
  #closed = false;

  /** Every option is checked here: a bad value is a `GatewayConfigError` now, not at the first call. */
  constructor(options: ErrorHandlerOptions = {}) {
    this.breaker = checkBoolean(options.enabled ?? true, 'enableErrorHandling') ? new CircuitBreaker(options.circuitBreaker) : null;
    const retry = options.retry ?? {};
    this.#retry = {
      maxAttempts: checkInteger(retry.maxAttempts ?? RETRY_DEFAULTS.maxAttempts, 'retry.maxAttempts', 1),
      initialDelayMs: checkNonNegative(retry.initialDelayMs ?? RETRY_DEFAULTS.initialDelayMs, 'retry.initialDelayMs'),
      maxDelayMs: checkNonNegative(retry.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs, 'retry.maxDelayMs'),
      exponentialBase: checkPositive(retry.exponentialBase ?? RETRY_DEFAULTS.exponentialBase, 'retry.exponentialBase'),
      jitter: checkBoolean(retry.jitter ?? RETRY_DEFAULTS.jitter, 'retry.jitter'),
    };
    this.#timeoutMs = checkPositive(options.timeoutMs ?? TIMEOUT_DEFAULT_MS, 'timeoutMs');
    const random = options.random ?? Math.random;
    // Built once: execute() is on every operation's hot path.
    this.#retryOptions = { ...this.#retry, random, retryOn: isRetryableError, wait: this.#wait, ...(options.onRetry ? { onRetry: options.onRetry } : {}) };
    this.#singleAttempt = { ...this.#retryOptions, maxAttempts: 1, retryOn: () => false };
  }

  /** Runs `fn` (given the attempt's signal and number) under breaker, retry and timeout. */
  execute<T>(fn: (signal: AbortSignal, attempt: number) => Promise<T>, options: ExecuteOptions = {}): Promise<T> {
    const { signal, idempotent = true, retryOn = isRetryableError } = options;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const attempt = (n: number): Promise<T> => withTimeout((attemptSignal) => fn(attemptSignal, n), timeoutMs, signal ? { signal } : {});
    if (!this.breaker) return attempt(1);
    const base = idempotent ? this.#retryOptions : this.#singleAttempt;
    const retryOptions = signal || retryOn !== isRetryableError ? { ...base, retryOn: idempotent ? retryOn : () => false, ...(signal ? { signal } : {}) } : base;
    const withRetries = (): Promise<T> => retry(attempt, retryOptions);
    return this.breaker.execute(withRetries, signal ? { signal } : {});
  }

  /** Closes the breaker and clears its consecutive counters. */
  reset(): void {
    this.breaker?.reset();
  }

  getMetrics(): ErrorHandlerMetrics | null {
    if (!this.breaker) return null;
    const { maxAttempts, initialDelayMs, maxDelayMs } = this.#retry;
    return Object.freeze({
      circuitBreaker: this.breaker.getMetrics(),
      retry: Object.freeze({ maxAttempts, initialDelayMs, maxDelayMs }),
      defaultTimeoutMs: this.#timeoutMs,
    });
  }

  /** Ends every wait between attempts at once (those calls reject with `ClientClosedError`) and stops the breaker's timers. */
  close(): void {
    this.#closed = true;
    const closed = new ClientClosedError({ message: 'The error handler is closed' });
    for (const stop of [...this.#waiting]) stop(closed);
    this.breaker?.shutdown();
  }

  /** The wait between attempts: the caller's signal ends it, and so does `close()`, with no listener on a shared signal. */
  readonly #wait = (ms: number, signal?: AbortSignal): Promise<void> =>
    this.#closed ? Promise.reject(new ClientClosedError({ message: 'The error handler is closed' })) : delay(ms, signal, this.#waiting);
}
