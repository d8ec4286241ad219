import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayConfigError, TimeoutError } from '@sark/core';
import { withTimeout } from '@sark/resilience';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('withTimeout', () => {
  it('aborts the work at the deadline and rejects with TimeoutError', async () => {
    let observed: AbortSignal | undefined;
    const work = (signal: AbortSignal) => {
      observed = signal;
      return new Promise<string>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new Error('aborted underneath'))),
      );
    };
    const result = withTimeout(work, 500).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(499);
    expect(observed?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = (await result) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('Operation timed out after 500 ms');
    expect(error.timeoutMs).toBe(500);
    expect(observed?.aborted).toBe(true);
    expect(observed?.reason).toBe(error);
  });

  it('rejects at the deadline even when the work ignores its signal', async () => {
    const result = withTimeout(() => new Promise(() => undefined), 100).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toBeInstanceOf(TimeoutError);
  });

  it("combines the caller's signal: its abort aborts the work with the caller's reason", async () => {
    const controller = new AbortController();
    let observed: AbortSignal | undefined;
    const result = withTimeout(
      (signal) => {
        observed = signal;
        return new Promise(() => undefined);
      },
      10_000,
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    controller.abort('stop');
    expect(await result).toBe('stop');
    expect(observed?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves with the value and leaves no timer behind', async () => {
    await expect(withTimeout(async () => 42, 1000)).resolves.toBe(42);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes the work’s own error through', async () => {
    const boom = new Error('boom');
    await expect(withTimeout(() => Promise.reject(boom), 1000)).rejects.toBe(boom);
    await expect(
      withTimeout(() => {
        throw boom;
      }, 1000),
    ).rejects.toBe(boom);
  });

  it('Infinity sets up nothing: no timer; the work gets the caller’s signal (or one that never aborts)', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const pending = withTimeout(
      async (signal) => {
        seen = signal;
        expect(vi.getTimerCount()).toBe(0);
        return 1;
      },
      Number.POSITIVE_INFINITY,
      { signal: controller.signal },
    );
    await expect(pending).resolves.toBe(1);
    expect(seen).toBe(controller.signal);
    await withTimeout(async (signal) => {
      expect(signal.aborted).toBe(false);
    }, Number.POSITIVE_INFINITY);
  });

  it('rejects an already aborted signal and a bad deadline', async () => {
    await expect(withTimeout(async () => 1, 1000, { signal: AbortSignal.abort('pre') })).rejects.toBe('pre');
    await expect(withTimeout(async () => 1, 0)).rejects.toBeInstanceOf(GatewayConfigError);
    await expect(withTimeout(async () => 1, Number.NaN)).rejects.toBeInstanceOf(GatewayConfigError);
  });
});
