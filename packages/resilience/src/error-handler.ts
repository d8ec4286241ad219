import { checkOptionsObject, checkPositive } from '@sark/core/internal';
import { CircuitBreaker, type CircuitBreakerMetrics, type CircuitBreakerOptions } from './circuit-breaker';
import { TIMEOUT_DEFAULT_MS } from './defaults';
import type { Policy, PolicyContext } from './policy';
import { RetryPolicy, type RetryPolicyOptions } from './retry-policy';
import { TimeoutPolicy } from './timeout-policy';
import { wrap } from './wrap';

/** Options of an {@link ErrorHandler}. */
export interface ErrorHandlerOptions {
  /** Options of a breaker of its own, or a breaker to share (then `close()` leaves it running). */
  circuitBreaker?: CircuitBreakerOptions | CircuitBreaker | undefined;
  retry?: RetryPolicyOptions | undefined;
  /** Deadline of each attempt. Default 30 000. */
  timeoutMs?: number | undefined;
}

/** A snapshot of the handler (API.md `ClientMetrics.errorHandler`). */
export interface ErrorHandlerMetrics {
  readonly circuitBreaker: CircuitBreakerMetrics;
  readonly retry: { readonly maxAttempts: number; readonly initialDelayMs: number; readonly maxDelayMs: number };
  readonly defaultTimeoutMs: number;
}

/**
 * The usual layers in the usual order, with metrics: `wrap(breaker, retry, timeout)`. The breaker sees one outcome
 * per operation (after its retries); each attempt gets its own deadline through its `signal`, so a timed-out request
 * is really cancelled. For another order or other layers, `wrap` the policies yourself.
 */
export class ErrorHandler implements Policy {
  readonly breaker: CircuitBreaker;
  readonly retry: RetryPolicy;
  readonly timeout: TimeoutPolicy;
  readonly #policy: Policy;
  readonly #ownsBreaker: boolean;

  /** Every option is checked here: a bad value is a `GatewayConfigError` now, not at the first call. */
  constructor(value?: ErrorHandlerOptions) {
    const options = checkOptionsObject(value, 'ErrorHandler: options');
    const timeoutMs = checkPositive(options.timeoutMs ?? TIMEOUT_DEFAULT_MS, 'timeoutMs');
    this.#ownsBreaker = !(options.circuitBreaker instanceof CircuitBreaker);
    this.breaker =
      options.circuitBreaker instanceof CircuitBreaker
        ? options.circuitBreaker
        : new CircuitBreaker(options.circuitBreaker);
    this.retry = new RetryPolicy(options.retry);
    this.timeout = new TimeoutPolicy({ timeoutMs });
    this.#policy = wrap(this.breaker, this.retry, this.timeout);
  }

  /** Runs `fn` under breaker, retry and per-attempt timeout; `context.signal` is the attempt's. */
  execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#policy.execute(fn, signal);
  }

  /** Closes the breaker and clears its consecutive counters. */
  reset(): void {
    this.breaker.reset();
  }

  getMetrics(): ErrorHandlerMetrics {
    const { maxAttempts, initialDelayMs, maxDelayMs } = this.retry.settings;
    return Object.freeze({
      circuitBreaker: this.breaker.getMetrics(),
      retry: Object.freeze({ maxAttempts, initialDelayMs, maxDelayMs }),
      defaultTimeoutMs: this.timeout.timeoutMs,
    });
  }

  /** Ends every wait between attempts at once (those calls reject with `ClientClosedError`); stops its own breaker. */
  close(): void {
    this.retry.close();
    if (this.#ownsBreaker) this.breaker.close();
  }
}
