import { TimeoutError, type SignalOptions } from '@sark/core';
import {
  checkFunction,
  checkOptionsObject,
  checkPositive,
  checkSignal,
  clampTimerMs,
  onAbort,
} from '@sark/core/internal';
import { neverAbortedSignal } from './never-aborted';

/** Options of {@link withTimeout}: the caller's own signal; aborting it aborts `fn` too and rejects with its reason. */
export type WithTimeoutOptions = SignalOptions;

/**
 * Runs `fn` with an `AbortSignal` that fires at the deadline, so the underlying work (a request, a process wait) is
 * really cancelled, and rejects with `TimeoutError` ("Operation timed out after <ms> ms") at that moment even if
 * `fn` ignores its signal. The caller's signal is combined with the deadline. `timeoutMs` of `Infinity` means no
 * deadline: `fn` is called with the caller's signal (or one that never aborts) and nothing else is set up — for work
 * that enforces its own deadline.
 */
export function withTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  options: WithTimeoutOptions = {},
): Promise<T> {
  let signal: AbortSignal | undefined;
  try {
    checkFunction(fn, 'withTimeout(fn)');
    checkPositive(timeoutMs, 'withTimeout(timeoutMs)');
    signal = checkSignal(checkOptionsObject(options, 'withTimeout(options)').signal, 'withTimeout(options.signal)');
  } catch (error) {
    return Promise.reject(error);
  }
  // The signal an outer policy passes when it was given none needs no listener.
  const outer = signal === neverAbortedSignal() ? undefined : signal;
  if (outer?.aborted) return Promise.reject(outer.reason as unknown);
  // No deadline: nothing to race, so no controller or timer either (the caller's signal is passed straight through).
  if (timeoutMs === Number.POSITIVE_INFINITY) return fn(outer ?? neverAbortedSignal());
  // Hot path: one AbortController and one timer per call; listeners only for a caller's signal (each costs µs).
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let unsubscribe: (() => void) | undefined;
    const settle = (error: unknown, value?: T): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe?.();
      if (error === undefined) resolve(value as T);
      else reject(error);
    };
    const abortWith = (reason: unknown): void => {
      settle(reason);
      controller.abort(reason);
    };
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => abortWith(new TimeoutError({ timeoutMs })), clampTimerMs(timeoutMs))
      : undefined;
    unsubscribe = outer ? onAbort(outer, () => abortWith(outer.reason)) : undefined;
    let work: Promise<T>;
    try {
      // A function that returns a plain value (not a promise) is taken at its word, as `await` would.
      work = Promise.resolve(fn(controller.signal));
    } catch (error) {
      settle(error ?? new Error('withTimeout: fn threw undefined'));
      return;
    }
    work.then(
      (value) => settle(undefined, value),
      (error: unknown) => settle(error ?? new Error('withTimeout: fn rejected with undefined')),
    );
  });
}
