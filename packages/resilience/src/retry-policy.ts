import { ClientClosedError, RetryExhaustedError } from '@sark/core';
import {
  backoffDelay,
  checkBackoffOptions,
  checkFunction,
  checkInteger,
  checkOptionsObject,
  delay,
  type BackoffOptions,
  type StopDelay,
} from '@sark/core/internal';
import { isRetryableError, retryAfterOf } from './classify';
import { RETRY_DEFAULTS } from './defaults';
import { reportListenerError } from './listeners';
import { neverAbortedSignal } from './never-aborted';
import { checkExecuteArguments, type Policy, type PolicyContext } from './policy';

/** What `onRetry` is told before each wait. */
export interface RetryEvent {
  /** The attempt that just failed, from 1. */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  error: unknown;
}

/** Options of a {@link RetryPolicy}; defaults in {@link RETRY_DEFAULTS}. */
export interface RetryPolicyOptions extends BackoffOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number | undefined;
  /** Whether an error is worth another attempt. Default {@link isRetryableError}. */
  retryOn?: ((error: unknown, attempt: number) => boolean) | undefined;
  /** Called before each wait (for logs and metrics). */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Source of randomness for jitter, in [0, 1). Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** The backoff settings a {@link RetryPolicy} runs with, after defaults. */
export interface RetrySettings {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly exponentialBase: number;
  readonly jitter: boolean;
}

/**
 * Runs a function until it succeeds, a non-retryable error occurs (thrown as is), or `maxAttempts` retryable failures
 * happened (then {@link RetryExhaustedError} with `attempts` and the last error as `cause`). Between attempts it waits
 * the server's `Retry-After` when the error carries one (capped at `maxDelayMs`), else the exponential backoff.
 * Every attempt gets the caller's signal; aborting it stops at once, also in the middle of a wait.
 */
export class RetryPolicy implements Policy {
  readonly settings: RetrySettings;
  readonly #retryOn: (error: unknown, attempt: number) => boolean;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #random: () => number;
  /** Runs waiting between attempts; `close()` ends their waits at once. */
  readonly #waiting = new Set<StopDelay>();
  #closed = false;

  /** Every option is checked here: a bad value is a `GatewayConfigError` now, not at the first call. */
  constructor(value?: RetryPolicyOptions) {
    const options = checkOptionsObject(value, 'retry');
    this.settings = Object.freeze({
      maxAttempts: checkInteger(options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts, 'retry.maxAttempts', 1),
      ...checkBackoffOptions(options, 'retry'),
    });
    this.#retryOn = checkFunction(options.retryOn ?? isRetryableError, 'retry.retryOn');
    this.#onRetry = options.onRetry === undefined ? undefined : checkFunction(options.onRetry, 'retry.onRetry');
    this.#random = checkFunction(options.random ?? Math.random, 'retry.random');
  }

  execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      checkExecuteArguments(fn, signal);
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    const runSignal = signal ?? neverAbortedSignal();
    // The first attempt without an async function around it (every operation of the client passes here); the retries,
    // which wait anyway, in one.
    let first: Promise<T>;
    try {
      first = Promise.resolve(fn({ signal: runSignal, attempt: 1 }));
    } catch (error) {
      first = Promise.reject(error);
    }
    return first.catch((error: unknown) => this.#retry(fn, signal, runSignal, error));
  }

  /** Attempt 2 onwards, after attempt 1 failed with `firstError`. */
  async #retry<T>(
    fn: (context: PolicyContext) => Promise<T>,
    signal: AbortSignal | undefined,
    runSignal: AbortSignal,
    firstError: unknown,
  ): Promise<T> {
    const { maxAttempts, maxDelayMs } = this.settings;
    let error = firstError;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw signal.reason;
      if (!this.#retryOn(error, attempt)) throw error;
      if (attempt >= maxAttempts) throw new RetryExhaustedError({ attempts: attempt, cause: error });
      const retryAfter = retryAfterOf(error);
      const delayMs =
        retryAfter === null ? backoffDelay(attempt - 1, this.settings, this.#random) : Math.min(retryAfter, maxDelayMs);
      try {
        this.#onRetry?.({ attempt, delayMs, error });
      } catch (observerError) {
        reportListenerError(observerError); // an observer's bug must not end the run or replace its error
      }
      if (this.#closed) throw closedError();
      await delay(delayMs, signal, this.#waiting);
      if (signal?.aborted) throw signal.reason;
      try {
        return await fn({ signal: runSignal, attempt: attempt + 1 });
      } catch (failed) {
        error = failed;
      }
    }
  }

  /** Ends every wait between attempts at once (those runs reject with `ClientClosedError`), and all later ones. */
  close(): void {
    this.#closed = true;
    const closed = closedError();
    for (const stop of [...this.#waiting]) stop(closed);
  }
}

function closedError(): ClientClosedError {
  return new ClientClosedError({ message: 'The retry policy is closed' });
}
