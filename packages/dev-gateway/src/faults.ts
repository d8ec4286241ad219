import type { FaultConfig } from './config';

/** What the fault injector decided for one request. */
export type FaultVerdict =
  | { kind: 'none'; delayMs: number }
  | { kind: 'error'; delayMs: number; status: number; retryAfterSeconds?: number }
  | { kind: 'reset'; delayMs: number };

/**
 * Decides, per /api request, whether to delay, fail or reset it (all off by default); counts down
 * `failNext`/`slowNext`.
 */
export function decideFault(faults: FaultConfig, random: () => number = Math.random): FaultVerdict {
  const latency = faults.latencyMs;
  let delayMs =
    latency === undefined
      ? 0
      : typeof latency === 'number'
        ? latency
        : latency[0] + random() * (latency[1] - latency[0]);
  if (faults.slowNext !== undefined && faults.slowNext > 0) {
    faults.slowNext--;
    delayMs += faults.slowNextMs ?? 1000;
  }
  if (faults.failNext !== undefined && faults.failNext > 0) {
    faults.failNext--;
    return {
      kind: 'error',
      delayMs,
      status: faults.errorStatus ?? 503,
      ...(faults.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: faults.retryAfterSeconds }),
    };
  }
  if (faults.resetRate !== undefined && random() < faults.resetRate) return { kind: 'reset', delayMs };
  if (faults.errorRate !== undefined && random() < faults.errorRate) {
    return {
      kind: 'error',
      delayMs,
      status: faults.errorStatus ?? 503,
      ...(faults.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: faults.retryAfterSeconds }),
    };
  }
  return { kind: 'none', delayMs };
}
