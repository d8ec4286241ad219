import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CircuitBreakerError,
  GatewayConfigError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  PermissionDeniedError,
  RetryExhaustedError,
  TimeoutError,
} from '@sark/core';
import { CircuitBreaker } from '@sark/resilience';

const http = (status: number) => new GatewayHttpError({ status, method: 'GET', url: 'http://gw/x' });
const fail = (error: unknown) => () => Promise.reject(error);
const ok = () => Promise.resolve('ok');

async function failTimes(
  breaker: CircuitBreaker,
  n: number,
  error: unknown = new GatewayNetworkError({ message: 'down' }),
) {
  for (let i = 0; i < n; i++) await expect(breaker.execute(fail(error))).rejects.toBe(error);
}

let breaker: CircuitBreaker;
beforeEach(() => {
  vi.useFakeTimers();
  breaker = new CircuitBreaker();
});
afterEach(() => {
  breaker.close();
  vi.useRealTimers();
});

describe('CLOSED → OPEN', () => {
  it('opens after exactly failureThreshold (5) consecutive counted failures', async () => {
    const opened = vi.fn();
    breaker.on('open', opened);
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
    expect(breaker.getMetrics().failureCount).toBe(4);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('a listener that throws changes nothing: the breaker opens, later listeners run, it is reported', async () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    try {
      const bug = new Error('listener bug');
      const after = vi.fn();
      breaker.on('open', () => {
        throw bug;
      });
      breaker.on('open', after);
      const failure = new GatewayNetworkError({ message: 'down' });
      for (let i = 0; i < 5; i++) await expect(breaker.execute(fail(failure))).rejects.toBe(failure);
      expect(breaker.state).toBe('open');
      expect(after).toHaveBeenCalledTimes(1);
      expect(reported).toHaveBeenCalledWith(bug);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(breaker.state).toBe('half_open');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a success breaks the streak', async () => {
    await failTimes(breaker, 4);
    await breaker.execute(ok);
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it.each([
    ['a network error', new GatewayNetworkError({ message: 'reset' })],
    ['a timeout', new TimeoutError({ timeoutMs: 10 })],
    ['HTTP 500', http(500)],
    ['HTTP 503', http(503)],
    ['HTTP 429', http(429)],
    ['HTTP 408', http(408)],
    ['retries exhausted on 502', new RetryExhaustedError({ attempts: 3, cause: http(502) })],
  ])('counts %s', async (_name, error) => {
    await failTimes(breaker, 5, error);
    expect(breaker.state).toBe('open');
  });

  it.each([
    ['HTTP 400', http(400)],
    ['HTTP 401', http(401)],
    ['HTTP 404', http(404)],
    ['a denial', new PermissionDeniedError({ reason: 'no' })],
    ['a protocol error', new GatewayProtocolError({ message: 'bad json' })],
    ['an abort', new DOMException('aborted', 'AbortError')],
  ])('does not count %s', async (_name, error) => {
    await failTimes(breaker, 10, error);
    expect(breaker.state).toBe('closed');
    expect(breaker.getMetrics()).toMatchObject({ failureCount: 0, totalFailures: 0, totalCalls: 10 });
  });

  it("does not count a failure after the caller's own abort", async () => {
    for (let i = 0; i < 6; i++) {
      const controller = new AbortController();
      const failAfterAbort = async () => {
        controller.abort();
        throw new GatewayNetworkError({ message: 'x' });
      };
      await expect(breaker.execute(failAfterAbort, controller.signal)).rejects.toThrow();
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.getMetrics()).toMatchObject({ totalCalls: 6, totalFailures: 0 });
    const aborted = AbortSignal.abort('gone');
    const fn = vi.fn(ok);
    await expect(breaker.execute(fn, aborted)).rejects.toBe('gone');
    expect(fn).not.toHaveBeenCalled();
  });

  it('uses a custom shouldCount', async () => {
    const custom = new CircuitBreaker({ failureThreshold: 2, shouldCount: (e) => e === 'boom' });
    await expect(custom.execute(fail('boom'))).rejects.toBe('boom');
    await expect(custom.execute(fail(new GatewayNetworkError({ message: 'x' })))).rejects.toThrow();
    await expect(custom.execute(fail('boom'))).rejects.toBe('boom');
    expect(custom.state).toBe('open');
    custom.close();
  });
});

describe('OPEN', () => {
  it('rejects at once without calling fn, with the time left in retryAfterMs', async () => {
    await failTimes(breaker, 5);
    const rejected = vi.fn();
    breaker.on('reject', rejected);
    vi.advanceTimersByTime(10_000);
    const fn = vi.fn(ok);
    const error = await breaker.execute(fn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitBreakerError);
    expect((error as CircuitBreakerError).retryAfterMs).toBe(20_000);
    expect(fn).not.toHaveBeenCalled();
    expect(rejected).toHaveBeenCalledWith(error);
    expect(breaker.getMetrics().totalRejections).toBe(1);
  });

  it('turns HALF_OPEN after resetTimeoutMs and not before', async () => {
    const halfOpen = vi.fn();
    breaker.on('half_open', halfOpen);
    await failTimes(breaker, 5);
    vi.advanceTimersByTime(29_999);
    expect(breaker.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(breaker.state).toBe('half_open');
    expect(halfOpen).toHaveBeenCalledTimes(1);
  });
});

describe('HALF_OPEN', () => {
  beforeEach(async () => {
    await failTimes(breaker, 5);
    vi.advanceTimersByTime(30_000);
  });

  it('lets at most halfOpenMaxCalls (3) trials run at once', async () => {
    const releases: (() => void)[] = [];
    const slow = () => new Promise<string>((resolve) => releases.push(() => resolve('done')));
    const trials = [breaker.execute(slow), breaker.execute(slow), breaker.execute(slow)];
    await expect(breaker.execute(slow)).rejects.toBeInstanceOf(CircuitBreakerError);
    expect(releases).toHaveLength(3);
    releases[0]?.();
    await trials[0];
    // one slot is free again, but the breaker still needs a second success
    expect(breaker.state).toBe('half_open');
    const fourth = breaker.execute(slow);
    expect(releases).toHaveLength(4);
    releases.slice(1).forEach((release) => release());
    await Promise.all([...trials, fourth]);
    expect(breaker.state).toBe('closed');
  });

  it('closes after successThreshold (2) successes', async () => {
    const closed = vi.fn();
    breaker.on('closed', closed);
    await breaker.execute(ok);
    expect(breaker.state).toBe('half_open');
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    expect(closed).toHaveBeenCalledTimes(1);
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
  });

  it('re-opens on any counted failure, restarting the timer', async () => {
    await breaker.execute(ok);
    vi.advanceTimersByTime(5_000);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    vi.advanceTimersByTime(29_999);
    expect(breaker.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(breaker.state).toBe('half_open');
  });

  it('an uncounted error frees the slot without closing or opening', async () => {
    await expect(breaker.execute(fail(http(404)))).rejects.toThrow();
    expect(breaker.state).toBe('half_open');
  });
});

describe('reset and metrics', () => {
  it('reset() closes the breaker and clears the streak', async () => {
    await failTimes(breaker, 5);
    breaker.reset();
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
  });

  it('reports the documented fields with real values', async () => {
    vi.setSystemTime(new Date('2026-11-24T12:00:00Z'));
    await breaker.execute(ok);
    await breaker.execute(ok);
    await failTimes(breaker, 5);
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitBreakerError);
    expect(breaker.getMetrics()).toEqual({
      state: 'open',
      failureCount: 5,
      successCount: 0,
      totalCalls: 7,
      totalFailures: 5,
      totalSuccesses: 2,
      totalRejections: 1,
      failureRate: 5 / 7,
      stateChanges: 1,
      lastFailureTime: Date.parse('2026-11-24T12:00:00Z'),
    });
  });

  it('validates its options', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(GatewayConfigError);
    expect(() => new CircuitBreaker({ failureThreshold: -1 })).toThrow(
      'circuitBreaker.failureThreshold: must be an integer ≥ 1, got -1',
    );
    expect(() => new CircuitBreaker(null as never)).toThrow('circuitBreaker: must be an object, got null');
    expect(() => new CircuitBreaker('strict' as never)).toThrow(GatewayConfigError);
  });
});
