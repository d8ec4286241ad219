import { RetryExhaustedError } from '@sark/core';
import { backoffDelay, checkInteger, delay, type BackoffOptions } from '@sark/core/internal';
import { isRetryableError, retryAfterOf } from './classify';
import { RETRY_DEFAULTS } from './defaults';

/** What `onRetry` is told before each wait. */
export interface RetryEvent {
  /** The attempt that just failed, from 1. */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  error: unknown;
}

/** Options of {@link retry}. */
export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number | undefined;
  /** Whether an error is worth another attempt. Default {@link isRetryableError}. */
  retryOn?: ((error: unknown, attempt: number) => boolean) | undefined;
  /** Called before each wait (for logs and metrics). */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Aborting stops at once, also in the middle of a wait, and rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Source of randomness for jitter, in [0, 1). Default `Math.random`. */
  random?: (() => number) | undefined;
  /** How to wait between attempts (default: an abortable timer). An owner that must end waits on its own close passes one. */
  wait?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

/**
 * Calls `fn` until it succeeds, a non-retryable error occurs (thrown as is), or `maxAttempts` retryable failures
 * happened (then {@link RetryExhaustedError} with `attempts` and the last error as `cause`). Between attempts it waits
 * the server's `Retry-After` when the error carries one (capped at `maxDelayMs`), else the exponential backoff.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxAttempts = RETRY_DEFAULTS.maxAttempts, retryOn = isRetryableError, onRetry, signal, random = Math.random, maxDelayMs = RETRY_DEFAULTS.maxDelayMs, wait = delay } = options;
  checkInteger(maxAttempts, 'retry: maxAttempts', 1);
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw signal.reason;
    try {
      return await fn(attempt);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!retryOn(error, attempt)) throw error;
      if (attempt >= maxAttempts) throw new RetryExhaustedError({ attempts: attempt, cause: error });
      const retryAfter = retryAfterOf(error);
      const delayMs = retryAfter === null ? backoffDelay(attempt - 1, { ...options, maxDelayMs }, random) : Math.min(retryAfter, maxDelayMs);
      onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, signal);
    }
  }
}
