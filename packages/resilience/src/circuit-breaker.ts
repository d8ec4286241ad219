import { CircuitBreakerError } from '@sark/core';
import { MAX_TIMER_MS, checkInteger, checkOptionsObject, checkPositive } from '@sark/core/internal';
import { isBreakerFailure } from './classify';
import { BREAKER_DEFAULTS } from './defaults';
import { Listeners } from './listeners';
import { neverAbortedSignal } from './never-aborted';
import { Opossum } from './opossum';
import { checkExecuteArguments, type Policy, type PolicyContext } from './policy';

/** Where the breaker stands. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** Options of {@link CircuitBreaker}; defaults per BEHAVIOUR.md. */
export interface CircuitBreakerOptions {
  /** Consecutive counted failures that open a closed breaker. Default 5. */
  failureThreshold?: number | undefined;
  /** How long an open breaker rejects before it lets trial calls through. Default 30 000. */
  resetTimeoutMs?: number | undefined;
  /** Successful trial calls that close a half-open breaker. Default 2. */
  successThreshold?: number | undefined;
  /** Trial calls allowed at the same time while half-open. Default 3. */
  halfOpenMaxCalls?: number | undefined;
  /** Whether a failure counts against the gateway. Default {@link isBreakerFailure}. */
  shouldCount?: ((error: unknown) => boolean) | undefined;
  /** Length of the rolling window behind `failureRate`. Default 10 000. */
  rollingWindowMs?: number | undefined;
  /** A name for logs and opossum's stats. */
  name?: string | undefined;
}

/** A snapshot of the breaker (API.md `CircuitBreakerMetrics`). */
export interface CircuitBreakerMetrics {
  readonly state: CircuitState;
  /** Consecutive counted failures so far. */
  readonly failureCount: number;
  /** Consecutive successes so far. */
  readonly successCount: number;
  /** Calls let through since creation (rejected ones excluded). */
  readonly totalCalls: number;
  readonly totalFailures: number;
  readonly totalSuccesses: number;
  /** Calls rejected because the breaker was open or half-open and full. */
  readonly totalRejections: number;
  /** Counted failures ÷ (counted failures + successes) in the rolling window, 0–1. */
  readonly failureRate: number;
  readonly stateChanges: number;
  /** Epoch ms of the last counted failure. */
  readonly lastFailureTime: number | null;
}

/** Events of a {@link CircuitBreaker}. */
export interface CircuitBreakerEvents extends Record<string, unknown[]> {
  open: [];
  half_open: [];
  closed: [];
  reject: [CircuitBreakerError];
}

/** opossum's rolling statistics window; `increment` exists at runtime but is missing from @types/opossum. */
interface RollingWindow {
  increment(property: 'fires' | 'successes' | 'failures' | 'rejects', latencyMs?: number): void;
}

const OPOSSUM_NEVER_OPENS = { errorThresholdPercentage: 100, volumeThreshold: Number.MAX_SAFE_INTEGER };

/**
 * A circuit breaker on opossum's state machine, reset timer and rolling statistics, with the documented rules on
 * top (opossum opens on an error percentage and allows one half-open trial; this one opens on consecutive
 * failures and allows `halfOpenMaxCalls` concurrent trials, closing after `successThreshold` successes).
 */
export class CircuitBreaker implements Policy {
  readonly #opossum: Opossum;
  readonly #window: RollingWindow;
  readonly #events = new Listeners<CircuitBreakerEvents>();
  readonly #failureThreshold: number;
  readonly #resetTimeoutMs: number;
  readonly #successThreshold: number;
  readonly #halfOpenMaxCalls: number;
  readonly #shouldCount: (error: unknown) => boolean;
  #consecutiveFailures = 0;
  #consecutiveSuccesses = 0;
  #halfOpenInFlight = 0;
  #halfOpenSuccesses = 0;
  #openedAt = 0;
  #totalCalls = 0;
  #totalFailures = 0;
  #totalSuccesses = 0;
  #totalRejections = 0;
  #stateChanges = 0;
  #lastFailureTime: number | null = null;

  constructor(value?: CircuitBreakerOptions) {
    const options = checkOptionsObject(value, 'circuitBreaker');
    this.#failureThreshold = checkInteger(
      options.failureThreshold ?? BREAKER_DEFAULTS.failureThreshold,
      'circuitBreaker.failureThreshold',
      1,
    );
    // opossum arms its reset timer with this value: it must fit a timer.
    this.#resetTimeoutMs = Math.min(
      checkInteger(options.resetTimeoutMs ?? BREAKER_DEFAULTS.resetTimeoutMs, 'circuitBreaker.resetTimeoutMs', 1),
      MAX_TIMER_MS,
    );
    this.#successThreshold = checkInteger(
      options.successThreshold ?? BREAKER_DEFAULTS.successThreshold,
      'circuitBreaker.successThreshold',
      1,
    );
    this.#halfOpenMaxCalls = checkInteger(
      options.halfOpenMaxCalls ?? BREAKER_DEFAULTS.halfOpenMaxCalls,
      'circuitBreaker.halfOpenMaxCalls',
      1,
    );
    this.#shouldCount = options.shouldCount ?? isBreakerFailure;
    this.#opossum = new Opossum(async () => undefined, {
      ...OPOSSUM_NEVER_OPENS,
      resetTimeout: this.#resetTimeoutMs,
      rollingCountTimeout: Math.min(
        checkPositive(options.rollingWindowMs ?? BREAKER_DEFAULTS.rollingWindowMs, 'circuitBreaker.rollingWindowMs'),
        MAX_TIMER_MS,
      ),
      rollingCountBuckets: 10,
      timeout: false,
      enableSnapshots: false,
      rollingPercentilesEnabled: false,
      ...(options.name === undefined ? {} : { name: options.name }),
    });
    this.#window = this.#opossum.status as unknown as RollingWindow;
    this.#opossum.on('open', () => {
      this.#openedAt = Date.now();
      this.#changed('open');
    });
    this.#opossum.on('halfOpen', () => {
      this.#halfOpenInFlight = 0;
      this.#halfOpenSuccesses = 0;
      this.#changed('half_open');
    });
    this.#opossum.on('close', () => this.#changed('closed'));
  }

  /** `'closed'`, `'open'` or `'half_open'` (the usage guide's values). */
  get state(): CircuitState {
    if (this.#opossum.opened) return 'open';
    return this.#opossum.halfOpen ? 'half_open' : 'closed';
  }

  /** Adds a listener for `open`, `half_open`, `closed` or `reject`; returns a function that removes it. */
  on<E extends keyof CircuitBreakerEvents>(event: E, listener: (...args: CircuitBreakerEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Runs `fn` if the breaker lets it through, else rejects at once with {@link CircuitBreakerError}
   * (`retryAfterMs` = time left until the next trial). The outcome is recorded once; a failure after `signal` was
   * aborted is the caller's doing and never counts.
   */
  execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let trial: boolean;
    try {
      checkExecuteArguments(fn, signal);
      if (signal?.aborted) return Promise.reject(signal.reason as unknown);
      trial = this.#admit();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#totalCalls++;
    this.#window.increment('fires');
    const started = Date.now();
    let work: Promise<T>;
    try {
      work = Promise.resolve(fn({ signal: signal ?? neverAbortedSignal(), attempt: 1 }));
    } catch (error) {
      work = Promise.reject(error);
    }
    // One `then` rather than an async function: every operation of the client passes here.
    return work.then(
      (value) => {
        try {
          this.#recordSuccess(trial, Date.now() - started);
        } finally {
          this.#trialDone(trial);
        }
        return value;
      },
      (error: unknown) => {
        try {
          if (!signal?.aborted && this.#shouldCount(error)) this.#recordFailure(trial, Date.now() - started);
        } finally {
          this.#trialDone(trial);
        }
        throw error;
      },
    );
  }

  #trialDone(trial: boolean): void {
    if (trial) this.#halfOpenInFlight = Math.max(0, this.#halfOpenInFlight - 1);
  }

  /** Back to closed with the consecutive counters cleared; totals stay. */
  reset(): void {
    this.#consecutiveFailures = 0;
    this.#consecutiveSuccesses = 0;
    this.#halfOpenInFlight = 0;
    this.#halfOpenSuccesses = 0;
    this.#opossum.close();
  }

  getMetrics(): CircuitBreakerMetrics {
    const window = this.#opossum.stats;
    const outcomes = window.failures + window.successes;
    return Object.freeze({
      state: this.state,
      failureCount: this.#consecutiveFailures,
      successCount: this.#consecutiveSuccesses,
      totalCalls: this.#totalCalls,
      totalFailures: this.#totalFailures,
      totalSuccesses: this.#totalSuccesses,
      totalRejections: this.#totalRejections,
      failureRate: outcomes === 0 ? 0 : window.failures / outcomes,
      stateChanges: this.#stateChanges,
      lastFailureTime: this.#lastFailureTime,
    });
  }

  /** Stops opossum's timers and drops listeners. The breaker must not be used afterwards. */
  close(): void {
    this.#events.clear();
    this.#opossum.shutdown();
  }

  /** Returns whether the call is a half-open trial; throws when the call may not run. */
  #admit(): boolean {
    const state = this.state;
    if (state === 'closed') return false;
    if (state === 'half_open' && this.#halfOpenInFlight < this.#halfOpenMaxCalls) {
      this.#halfOpenInFlight++;
      return true;
    }
    const retryAfterMs = state === 'open' ? Math.max(0, this.#openedAt + this.#resetTimeoutMs - Date.now()) : 0;
    const error = new CircuitBreakerError({
      retryAfterMs,
      message:
        state === 'open'
          ? `Circuit breaker is open; retry after ${retryAfterMs} ms`
          : 'Circuit breaker is half-open and all trial calls are in flight',
    });
    this.#totalRejections++;
    this.#window.increment('rejects');
    this.#events.emit('reject', error);
    throw error;
  }

  #recordSuccess(trial: boolean, latencyMs: number): void {
    this.#totalSuccesses++;
    this.#consecutiveFailures = 0;
    this.#consecutiveSuccesses++;
    this.#window.increment('successes', latencyMs);
    if (trial && this.state === 'half_open' && ++this.#halfOpenSuccesses >= this.#successThreshold)
      this.#opossum.close();
  }

  #recordFailure(trial: boolean, latencyMs: number): void {
    this.#totalFailures++;
    this.#consecutiveSuccesses = 0;
    this.#consecutiveFailures++;
    this.#lastFailureTime = Date.now();
    this.#window.increment('failures', latencyMs);
    const state = this.state;
    if (
      (state === 'half_open' && trial) ||
      (state === 'closed' && this.#consecutiveFailures >= this.#failureThreshold)
    ) {
      this.#opossum.open(); // opossum restarts its reset timer on every transition into OPEN
    }
  }

  #changed(event: 'open' | 'half_open' | 'closed'): void {
    this.#stateChanges++;
    if (event !== 'open') this.#consecutiveFailures = 0;
    this.#events.emit(event);
  }
}
