import {
  checkBoolean,
  checkFunction,
  checkInteger,
  checkNonNegative,
  checkOptionsObject,
  checkPositive,
  type Resolved,
} from './option-checks';

/** How the wait between attempts grows. */
export interface BackoffOptions {
  /** Wait before the first retry. Default 1000. */
  initialDelayMs?: number | undefined;
  /** Upper bound of the exponential part. Default 30 000. */
  maxDelayMs?: number | undefined;
  /** Growth factor per attempt. Default 2. */
  exponentialBase?: number | undefined;
  /** ±25 % random spread so that many clients do not retry in step. Default true. */
  jitter?: boolean | undefined;
}

/** BEHAVIOUR.md's backoff: 1 s → 2 s → 4 s … capped at 30 s, with jitter. */
export const BACKOFF_DEFAULTS = /* @__PURE__ */ Object.freeze({
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  exponentialBase: 2,
  jitter: true,
});

/** The jitter spread: the delay is multiplied by a factor in [1 − JITTER_RATIO, 1 + JITTER_RATIO]. */
export const JITTER_RATIO = 0.25;

/**
 * The wait before retry number `retryIndex` (0 for the first retry):
 * `min(initialDelayMs · base^retryIndex, maxDelayMs)`, then ±25 % jitter when enabled, never negative.
 * `random` is injectable for tests; it returns a number in [0, 1).
 */
export function backoffDelay(
  retryIndex: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  checkInteger(retryIndex, 'backoffDelay(retryIndex)', 0);
  const { initialDelayMs, maxDelayMs, exponentialBase, jitter } = checkBackoffOptions(options, 'backoffDelay(options)');
  checkFunction(random, 'backoffDelay(random)');
  const delay = Math.min(initialDelayMs * exponentialBase ** retryIndex, maxDelayMs);
  if (!jitter) return Math.max(0, delay);
  return Math.max(0, delay * (1 + (random() * 2 - 1) * JITTER_RATIO));
}

/**
 * Every backoff option checked (`GatewayConfigError` naming `<prefix>.<option>`) and every default
 * ({@link BACKOFF_DEFAULTS}) applied.
 */
export function checkBackoffOptions(value: BackoffOptions | undefined, prefix: string): Resolved<BackoffOptions> {
  const options = checkOptionsObject(value, prefix);
  return {
    initialDelayMs: checkNonNegative(
      options.initialDelayMs ?? BACKOFF_DEFAULTS.initialDelayMs,
      `${prefix}.initialDelayMs`,
    ),
    maxDelayMs: checkNonNegative(options.maxDelayMs ?? BACKOFF_DEFAULTS.maxDelayMs, `${prefix}.maxDelayMs`),
    exponentialBase: checkPositive(
      options.exponentialBase ?? BACKOFF_DEFAULTS.exponentialBase,
      `${prefix}.exponentialBase`,
    ),
    jitter: checkBoolean(options.jitter ?? BACKOFF_DEFAULTS.jitter, `${prefix}.jitter`),
  };
}
