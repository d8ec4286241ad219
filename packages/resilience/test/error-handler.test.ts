import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreakerError, GatewayHttpError, GatewayNetworkError, RetryExhaustedError, TimeoutError } from '@sark/core';
import { ErrorHandler } from '@sark/resilience';

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
    const fn = vi.fn((signal: AbortSignal, attempt: number) => {
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
    expect(handler.breaker?.state).toBe('open');
    await expect(handler.execute(fn)).rejects.toBeInstanceOf(CircuitBreakerError);
    expect(fn).toHaveBeenCalledTimes(10);
    handler.reset();
    expect(handler.breaker?.state).toBe('closed');
  });

  it('a non-retryable error passes through unwrapped after one call', async () => {
    handler = new ErrorHandler();
    const fn = vi.fn(() => Promise.reject(http(404)));
    await expect(handler.execute(fn)).rejects.toMatchObject({ status: 404 });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a non-idempotent operation gets exactly one attempt', async () => {
    handler = new ErrorHandler();
    const error = new GatewayNetworkError({ message: 'reset' });
    const fn = vi.fn(() => Promise.reject(error));
    await expect(handler.execute(fn, { idempotent: false })).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('per-call timeoutMs overrides the default', async () => {
    handler = new ErrorHandler({ timeoutMs: 30_000, retry: { maxAttempts: 1 } });
    const result = handler.execute(() => new Promise(() => undefined), { timeoutMs: 50 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    const error = (await result) as RetryExhaustedError;
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error.cause).toMatchObject({ timeoutMs: 50 });
  });

  it('disabled: no breaker, no retry, raw errors, the timeout still applies', async () => {
    handler = new ErrorHandler({ enabled: false, timeoutMs: 100 });
    const error = http(503);
    const fn = vi.fn(() => Promise.reject(error));
    await expect(handler.execute(fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
    const slow = handler.execute(() => new Promise(() => undefined)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await slow).toBeInstanceOf(TimeoutError);
    expect(handler.getMetrics()).toBeNull();
  });

  it('an abort by the caller stops retrying and is not counted', async () => {
    handler = new ErrorHandler({ circuitBreaker: { failureThreshold: 1 } });
    const controller = new AbortController();
    const result = handler.execute(() => Promise.reject(http(503)), { signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort('cancelled');
    expect(await result).toBe('cancelled');
    expect(handler.breaker?.state).toBe('closed');
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
