import { describe, expect, it } from 'vitest';
import { GatewayConfigError } from '../src/index';
import { MAX_ECHOED_HEADER_CHARS, checkReconnectOptions, isEchoableHeaderValue, reconnectDelay } from '../src/internal';

const settings = checkReconnectOptions({ initialDelayMs: 100, maxDelayMs: 5000, jitter: false }, 'reconnect');

describe('reconnectDelay', () => {
  it("after a connection that delivered, the server's retry: — raised to minDelayMs, cut to maxDelayMs", () => {
    const delivered = (serverRetryMs: number) =>
      reconnectDelay({ attempt: 1, delivered: true, serverRetryMs }, settings);
    expect(delivered(700)).toBe(700);
    expect(delivered(0)).toBe(100); // minDelayMs: retry: 0 cannot make the client hammer the server
    expect(delivered(99_999_999_999)).toBe(5000); // nor can a huge retry: park it for days
  });

  it("after connections with nothing to show, the backoff — or the server's retry: when that is longer", () => {
    const empty = (attempt: number, serverRetryMs: number | null) =>
      reconnectDelay({ attempt, delivered: false, serverRetryMs }, settings);
    expect([1, 2, 3, 4].map((attempt) => empty(attempt, 0))).toEqual([100, 200, 400, 800]);
    expect(empty(1, 1500)).toBe(1500);
    expect(empty(10, null)).toBe(5000);
  });

  it('a wait the server asked for outright (Retry-After) wins, within the same bounds', () => {
    const asked = (requestedMs: number) =>
      reconnectDelay({ attempt: 3, delivered: false, serverRetryMs: 10, requestedMs }, settings);
    expect(asked(2500)).toBe(2500);
    expect(asked(0)).toBe(100);
    expect(asked(60_000)).toBe(5000);
  });

  it('jitter spreads the backoff by ±25 %', () => {
    const jittered = checkReconnectOptions({ initialDelayMs: 1000 }, 'reconnect');
    const at = (random: number) =>
      reconnectDelay({ attempt: 1, delivered: false, serverRetryMs: null }, jittered, () => random);
    expect([at(0), at(0.5), at(0.999_999)].map(Math.round)).toEqual([750, 1000, 1250]);
  });
});

describe('checkReconnectOptions', () => {
  it('applies the defaults', () => {
    expect(checkReconnectOptions({}, 'reconnect')).toEqual({
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      exponentialBase: 2,
      jitter: true,
      minDelayMs: 100,
    });
  });

  it.each([
    [{ initialDelayMs: -1 }, 'reconnect.initialDelayMs'],
    [{ maxDelayMs: Number.NaN }, 'reconnect.maxDelayMs'],
    [{ exponentialBase: 0 }, 'reconnect.exponentialBase'],
    [{ jitter: 'yes' as unknown as boolean }, 'reconnect.jitter'],
    [{ minDelayMs: 0 }, 'reconnect.minDelayMs'],
    [{ minDelayMs: 500, maxDelayMs: 100 }, 'reconnect.minDelayMs: must not exceed reconnect.maxDelayMs'],
  ])('refuses %o with a GatewayConfigError naming the option', (options, named) => {
    expect(() => checkReconnectOptions(options, 'reconnect')).toThrow(GatewayConfigError);
    expect(() => checkReconnectOptions(options, 'reconnect')).toThrow(named);
  });
});
