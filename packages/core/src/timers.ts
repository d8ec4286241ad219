import { onAbort } from './abort-fanout';

/** The longest delay a timer can hold (2^31 − 1 ms, about 24.8 days); longer ones overflow to 1 ms in every runtime. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a timer can take it: at least 0, at most {@link MAX_TIMER_MS}; NaN is 0. */
export function clampTimerMs(ms: number): number {
  return ms > 0 ? Math.min(ms, MAX_TIMER_MS) : 0;
}

/** Stops a waiting {@link delay}: it rejects with `error` and its timer is cleared. */
export type StopDelay = (error: unknown) => void;

/**
 * Waits `ms` (clamped to what a timer can hold), or rejects at once with the signal's reason when it is — or
 * becomes — aborted. With `waiting`, the delay's stop function sits in that set while it waits, so an owner can end
 * every wait at once on `close()` without a listener on a shared signal. The one abortable delay every package uses.
 */
export function delay(ms: number, signal?: AbortSignal, waiting?: Set<StopDelay>): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason as unknown);
  return new Promise((resolve, reject) => {
    const finish = (error?: unknown): void => {
      clearTimeout(timer);
      unsubscribe?.();
      waiting?.delete(stop);
      if (error === undefined) resolve();
      else reject(error);
    };
    const stop: StopDelay = (error) => finish(error);
    // The signal first: if it cannot be listened to, this throws before a timer is armed that would fire later.
    const unsubscribe = signal ? onAbort(signal, () => finish(signal.reason ?? new Error('aborted'))) : undefined;
    const timer = setTimeout(finish, clampTimerMs(ms));
    waiting?.add(stop);
  });
}
