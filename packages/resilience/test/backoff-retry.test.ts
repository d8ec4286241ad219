import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ClientClosedError,
  GatewayHttpError,
  GatewayNetworkError,
  PermissionDeniedError,
  RetryExhaustedError,
  TimeoutError,
} from '@sark/core';
import { RetryPolicy, backoffDelay, isRetryableError, type RetryPolicyOptions } from '@sark/resilience';
import { delay } from '@sark/core/internal';

/** Runs `fn(attempt)` under a fresh retry policy with `options`. */
const retry = <T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryPolicyOptions = {},
  signal?: AbortSignal,
): Promise<T> => new RetryPolicy(options).execute(({ attempt }) => fn(attempt), signal);

const http = (status: number, retryAfterMs?: number) =>
  new GatewayHttpError({
    status,
    method: 'GET',
    url: 'http://gw/x',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('backoffDelay', () => {
  it('doubles from initialDelayMs and caps at maxDelayMs without jitter', () => {
    const delays = Array.from({ length: 8 }, (_, k) => backoffDelay(k, { jitter: false }));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoffDelay(2, { jitter: false, initialDelayMs: 100, exponentialBase: 3, maxDelayMs: 500 })).toBe(500);
    expect(backoffDelay(1, { jitter: false, initialDelayMs: 100, exponentialBase: 3 })).toBe(300);
  });

  it('jitter stays within ±25 % and is never negative', () => {
    expect(backoffDelay(0, {}, () => 0)).toBe(750);
    expect(backoffDelay(0, {}, () => 0.5)).toBe(1000);
    fc.assert(
      fc.property(fc.nat(20), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (k, r) => {
        const base = Math.min(1000 * 2 ** k, 30_000);
        const delay = backoffDelay(k, {}, () => r);
        return delay >= base * 0.75 && delay <= base * 1.25 && delay >= 0;
      }),
    );
  });
});

describe('isRetryableError', () => {
  it('retries the documented set only', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504])
      expect(isRetryableError(http(status)), String(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 422, 501])
      expect(isRetryableError(http(status)), String(status)).toBe(false);
    expect(isRetryableError(new GatewayNetworkError({ message: 'x' }))).toBe(true);
    expect(isRetryableError(new TimeoutError({ timeoutMs: 1 }))).toBe(true);
    expect(isRetryableError(new PermissionDeniedError())).toBe(false);
    expect(isRetryableError(new Error('x'))).toBe(false);
  });
});

describe('RetryPolicy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits 1 s then 2 s between attempts and returns the first success', async () => {
    const delays: number[] = [];
    const fn = vi.fn(async (attempt: number) => {
      if (attempt < 3) throw http(503);
      return `ok on ${attempt}`;
    });
    const result = retry(fn, { jitter: false, onRetry: ({ delayMs }) => delays.push(delayMs) });
    await vi.advanceTimersByTimeAsync(999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    await expect(result).resolves.toBe('ok on 3');
    expect(delays).toEqual([1000, 2000]);
  });

  it('Retry-After takes precedence over backoff, capped at maxDelayMs', async () => {
    const delays: number[] = [];
    const errors = [http(429, 5000), http(503, 120_000)];
    const fn = vi.fn(async () => {
      const next = errors.shift();
      if (next) throw next;
      return 'ok';
    });
    const result = retry(fn, { jitter: false, onRetry: ({ delayMs }) => delays.push(delayMs) });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('ok');
    expect(delays).toEqual([5000, 30_000]);
  });

  it('stops after one call on a non-retryable error and throws it unwrapped', async () => {
    const notFound = http(404);
    const fn = vi.fn(() => Promise.reject(notFound));
    await expect(retry(fn)).rejects.toBe(notFound);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('throws RetryExhaustedError after maxAttempts retryable failures', async () => {
    let n = 0;
    const fn = vi.fn(() => Promise.reject(new GatewayNetworkError({ message: `failure ${++n}` })));
    const result = retry(fn, { maxAttempts: 4 }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = (await result) as RetryExhaustedError;
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error.attempts).toBe(4);
    expect((error.cause as Error).message).toBe('failure 4');
    expect(fn).toHaveBeenCalledTimes(4);
  });

  it('uses a custom classifier', async () => {
    const fn = vi.fn(() => Promise.reject(new Error('flaky')));
    const result = retry(fn, {
      retryOn: (e) => (e as Error).message === 'flaky',
      maxAttempts: 2,
      initialDelayMs: 10,
    }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(RetryExhaustedError);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('an abort during the backoff sleep rejects at once with the reason and makes no further call', async () => {
    const controller = new AbortController();
    const fn = vi.fn(() => Promise.reject(http(503)));
    const result = retry(fn, { initialDelayMs: 10_000 }, controller.signal).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    expect(await result).toBe(reason);
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("gives every attempt the caller's signal", async () => {
    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    const policy = new RetryPolicy({ initialDelayMs: 1 });
    const result = policy.execute(async ({ signal, attempt }) => {
      seen.push(signal);
      if (attempt < 3) throw http(503);
      return attempt;
    }, controller.signal);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe(3);
    expect(seen).toEqual([controller.signal, controller.signal, controller.signal]);
  });

  it('close() ends a wait between attempts with ClientClosedError, and later waits too', async () => {
    const policy = new RetryPolicy({ initialDelayMs: 60_000 });
    const fn = vi.fn(() => Promise.reject(http(503)));
    const waiting = policy.execute(fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    policy.close();
    expect(await waiting).toBeInstanceOf(ClientClosedError);
    await expect(policy.execute(fn)).rejects.toBeInstanceOf(ClientClosedError);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an onRetry that throws neither ends the run nor replaces its error; it is reported', async () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    try {
      const bug = new Error('onRetry bug');
      const policy = new RetryPolicy({
        maxAttempts: 3,
        initialDelayMs: 10,
        jitter: false,
        onRetry: () => {
          throw bug;
        },
      });
      const failure = new GatewayNetworkError({ message: 'down' });
      const fn = vi.fn().mockRejectedValueOnce(failure).mockRejectedValueOnce(failure).mockResolvedValue('ok');
      const run = policy.execute(fn);
      await vi.advanceTimersByTimeAsync(100);
      await expect(run).resolves.toBe('ok');
      expect(fn).toHaveBeenCalledTimes(3);
      expect(reported).toHaveBeenCalledTimes(2);
      expect(reported).toHaveBeenCalledWith(bug);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('checks its options when made', () => {
    expect(() => new RetryPolicy({ maxAttempts: 0 })).toThrow(/retry.maxAttempts/);
    expect(() => new RetryPolicy({ initialDelayMs: -1 })).toThrow(/retry.initialDelayMs/);
    expect(() => new RetryPolicy({ jitter: 'yes' as unknown as boolean })).toThrow(/retry.jitter/);
    expect(() => new RetryPolicy(null as never)).toThrow('retry: must be an object, got null');
    expect(() => new RetryPolicy(3 as never)).toThrow('retry: must be an object, got 3');
  });

  it('delay rejects immediately for an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort('gone');
    await expect(delay(1000, controller.signal)).rejects.toBe('gone');
  });

  it('delay clamps what no timer can hold, and its owner can stop it through the waiting set', async () => {
    const waiting = new Set<(error: unknown) => void>();
    const long = delay(99_999_999_999, undefined, waiting).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(waiting.size).toBe(1);
    for (const stop of waiting) stop('closed');
    expect(await long).toBe('closed');
    expect(waiting.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
