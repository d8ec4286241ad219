import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CircuitBreakerError,
  GatewayHttpError,
  GatewayNetworkError,
  RetryExhaustedError,
  TimeoutError,
} from '@sark/core';
import { CircuitBreaker, ErrorHandler, RetryPolicy, TimeoutPolicy, wrap, type PolicyContext } from '@sark/resilience';

const http = (status: number) => new GatewayHttpError({ status, method: 'GET', url: 'http://gw/x' });
let handler: ErrorHandler;
beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  handler.close();
  vi.useRealTimers();
});

describe('ErrorHandler', () => {
  it('a timeout on attempt 1, then success on attempt 2', async () => {
    handler = new ErrorHandler({ timeoutMs: 1000, retry: { jitter: false } });
    const signals: AbortSignal[] = [];
    const fn = vi.fn(({ signal, attempt }: PolicyContext) => {
      signals.push(signal);
      return attempt === 1 ? new Promise<string>(() => undefined) : Promise.resolve('second');
    });
    const result = handler.execute(fn);
    await vi.advanceTimersByTimeAsync(1000); // attempt 1 times out
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(1000); // backoff before attempt 2
    await expect(result).resolves.toBe('second');
    expect(fn).toHaveBeenCalledTimes(2);
    expect(handler.getMetrics()?.circuitBreaker).toMatchObject({ totalSuccesses: 1, totalFailures: 0 });
  });

  it('the breaker opens across calls and then rejects without running the operation', async () => {
    handler = new ErrorHandler({ retry: { maxAttempts: 2, jitter: false, initialDelayMs: 10 } });
    const fn = vi.fn(() => Promise.reject(http(503)));
    for (let i = 0; i < 5; i++) {
      const result = handler.execute(fn).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(10); // the one backoff wait (opossum's rolling-window interval never ends)
      expect(await result).toBeInstanceOf(RetryExhaustedError);
    }
    expect(fn).toHaveBeenCalledTimes(10); // one breaker outcome per operation, after its retries
    expect(handler.breaker.state).toBe('open');
    await expect(handler.execute(fn)).rejects.toBeInstanceOf(CircuitBreakerError);
    expect(fn).toHaveBeenCalledTimes(10);
    handler.reset();
    expect(handler.breaker.state).toBe('closed');
  });

  it('a non-retryable error passes through unwrapped after one call', async () => {
    handler = new ErrorHandler();
    const fn = vi.fn(() => Promise.reject(http(404)));
    await expect(handler.execute(fn)).rejects.toMatchObject({ status: 404 });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a shared breaker is used and left running by close()', async () => {
    const shared = new CircuitBreaker({ failureThreshold: 1 });
    handler = new ErrorHandler({ circuitBreaker: shared, retry: { maxAttempts: 1 } });
    const other = new ErrorHandler({ circuitBreaker: shared });
    await expect(handler.execute(() => Promise.reject(http(503)))).rejects.toBeInstanceOf(RetryExhaustedError);
    const fn = vi.fn(async () => 'x');
    await expect(other.execute(fn)).rejects.toBeInstanceOf(CircuitBreakerError);
    expect(fn).not.toHaveBeenCalled();
    other.close();
    expect(shared.state).toBe('open');
    shared.reset();
    await expect(handler.execute(fn)).resolves.toBe('x');
    shared.close();
  });

  it('an abort by the caller stops retrying and is not counted', async () => {
    handler = new ErrorHandler({ circuitBreaker: { failureThreshold: 1 } });
    const controller = new AbortController();
    const result = handler.execute(() => Promise.reject(http(503)), controller.signal).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort('cancelled');
    expect(await result).toBe('cancelled');
    expect(handler.breaker.state).toBe('closed');
  });

  it('metrics have the documented shape', async () => {
    handler = new ErrorHandler({ timeoutMs: 5000, retry: { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 9000 } });
    await handler.execute(async () => 'x');
    expect(handler.getMetrics()).toEqual({
      circuitBreaker: {
        state: 'closed',
        failureCount: 0,
        successCount: 1,
        totalCalls: 1,
        totalFailures: 0,
        totalSuccesses: 1,
        totalRejections: 0,
        failureRate: 0,
        stateChanges: 0,
        lastFailureTime: null,
      },
      retry: { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 9000 },
      defaultTimeoutMs: 5000,
    });
  });
});

describe('wrap', () => {
  it('runs the policies outermost first; attempt counts the runs of the function', async () => {
    handler = new ErrorHandler();
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    const policy = wrap(
      breaker,
      new RetryPolicy({ maxAttempts: 3, initialDelayMs: 10, jitter: false }),
      new TimeoutPolicy({ timeoutMs: 100 }),
    );
    const attempts: number[] = [];
    const result = policy.execute(({ attempt, signal }) => {
      attempts.push(attempt);
      return attempt < 3
        ? new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)))
        : Promise.resolve('third');
    });
    await vi.advanceTimersByTimeAsync(100 + 10 + 100 + 20);
    await expect(result).resolves.toBe('third');
    expect(attempts).toEqual([1, 2, 3]);
    expect(breaker.getMetrics()).toMatchObject({ totalCalls: 1, totalSuccesses: 1, totalFailures: 0 });
    breaker.close();
  });

  it('another order: a timeout around the retries is a total deadline', async () => {
    handler = new ErrorHandler();
    const policy = wrap(
      new TimeoutPolicy({ timeoutMs: 250 }),
      new RetryPolicy({ maxAttempts: 10, initialDelayMs: 100, jitter: false }),
    );
    const fn = vi.fn(() => Promise.reject(http(503)));
    const result = policy.execute(fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(250);
    expect(await result).toBeInstanceOf(TimeoutError);
    const calls = fn.mock.calls.length;
    expect(calls).toBe(2); // at 0 and 100 ms; the wait for the third (200 ms more) is cut by the deadline
    await vi.runOnlyPendingTimersAsync();
    expect(fn).toHaveBeenCalledTimes(calls);
  });

  it('the caller signal reaches fn through every layer: aborting it cancels the attempt and the wait', async () => {
    handler = new ErrorHandler({ timeoutMs: 1000 });
    const inFlight = new AbortController();
    const signals: AbortSignal[] = [];
    const pending = handler.execute(({ signal }) => {
      signals.push(signal);
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled'))));
    }, inFlight.signal);
    inFlight.abort('stop');
    await expect(pending).rejects.toBe('stop');
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBe('stop');

    const waiting = new AbortController();
    const fn = vi.fn(() => Promise.reject(http(503)));
    const result = handler.execute(fn, waiting.signal).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    waiting.abort('stop');
    expect(await result).toBe('stop');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('wrap() with no policies runs the function once with the caller signal', async () => {
    handler = new ErrorHandler();
    const controller = new AbortController();
    const seen: PolicyContext[] = [];
    await wrap().execute(async (context) => seen.push(context), controller.signal);
    expect(seen).toEqual([{ signal: controller.signal, attempt: 1 }]);
    await expect(wrap().execute(async () => 1, AbortSignal.abort('x'))).rejects.toBe('x');
  });
});
