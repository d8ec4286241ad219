import {
  checkBoolean,
  checkInteger,
  checkOptionsObject,
  checkPositive,
  evictOldest,
  onAbort,
  type Resolved,
} from '@sark/core/internal';

/** Options of a {@link ResponseCache}. */
export interface ResponseCacheOptions {
  /** Default true. */
  enabled?: boolean | undefined;
  /** How long an entry is served. Default 300 000 (5 min). */
  ttlMs?: number | undefined;
  /** LRU bound. Default 1 000. */
  maxEntries?: number | undefined;
}

/** The cache options with their defaults, each checked (`GatewayConfigError` naming `cache.<option>`). */
export function checkCacheOptions(value?: ResponseCacheOptions): Resolved<ResponseCacheOptions> {
  const options = checkOptionsObject(value, 'cache');
  return {
    enabled: checkBoolean(options.enabled ?? true, 'cache.enabled'),
    ttlMs: checkPositive(options.ttlMs ?? 300_000, 'cache.ttlMs'),
    maxEntries: checkInteger(options.maxEntries ?? 1000, 'cache.maxEntries', 1),
  };
}

/** Counters of a {@link ResponseCache}. */
export interface ResponseCacheMetrics {
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly cacheSize: number;
  /** hits ÷ (hits + misses); 0 when nothing was asked. */
  readonly cacheHitRate: number;
}

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

interface InFlight {
  readonly promise: Promise<unknown>;
  waiters: number;
  readonly abort: (reason: unknown) => void;
}

/**
 * TTL + LRU cache of validated, frozen responses, with coalescing: concurrent misses for one key share a single
 * load. A caller that joins a load counts as a hit (it caused no request). A waiter's abort leaves the shared load
 * running for the others; the load is aborted only when every waiter has gone.
 */
export class ResponseCache {
  readonly #enabled: boolean;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, InFlight>();
  #hits = 0;
  #misses = 0;

  /** A bad option is a `GatewayConfigError` here, when the cache (or the client holding it) is made. */
  constructor(options: ResponseCacheOptions = {}) {
    const checked = checkCacheOptions(options);
    this.#enabled = checked.enabled;
    this.#ttlMs = checked.ttlMs;
    this.#maxEntries = checked.maxEntries;
  }

  /**
   * The cached value for `key`, or the result of `load` (stored when it succeeds). `load` gets a signal that aborts
   * when all callers waiting for it have aborted.
   */
  async get<T>(key: string, load: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!this.#enabled) {
      this.#misses++;
      return load(signal ?? new AbortController().signal);
    }
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > Date.now()) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry.value as T;
    }
    if (entry) this.#entries.delete(key);
    let flight = this.#inFlight.get(key);
    if (flight) this.#hits++;
    else {
      this.#misses++;
      flight = this.#startLoad(key, load);
    }
    return this.#wait(flight, signal) as Promise<T>;
  }

  clear(): void {
    this.#entries.clear();
  }

  getMetrics(): ResponseCacheMetrics {
    const asked = this.#hits + this.#misses;
    return {
      cacheHits: this.#hits,
      cacheMisses: this.#misses,
      cacheSize: this.#entries.size,
      cacheHitRate: asked === 0 ? 0 : this.#hits / asked,
    };
  }

  #startLoad(key: string, load: (signal: AbortSignal) => Promise<unknown>): InFlight {
    const controller = new AbortController();
    const promise = load(controller.signal).then(
      (value) => {
        this.#inFlight.delete(key);
        this.#store(key, value);
        return value;
      },
      (error: unknown) => {
        this.#inFlight.delete(key);
        throw error;
      },
    );
    const flight: InFlight = { promise, waiters: 0, abort: (reason) => controller.abort(reason) };
    this.#inFlight.set(key, flight);
    return flight;
  }

  #wait(flight: InFlight, signal: AbortSignal | undefined): Promise<unknown> {
    flight.waiters++;
    if (!signal) return flight.promise.finally(() => flight.waiters--);
    if (signal.aborted) {
      this.#leave(flight, signal.reason);
      return Promise.reject(signal.reason as unknown);
    }
    return new Promise((resolve, reject) => {
      const unsubscribe = onAbort(signal, () => {
        this.#leave(flight, signal.reason);
        reject(signal.reason as unknown);
      });
      flight.promise.then(
        (value) => {
          unsubscribe();
          flight.waiters--;
          resolve(value);
        },
        (error: unknown) => {
          unsubscribe();
          flight.waiters--;
          reject(error);
        },
      );
    });
  }

  #leave(flight: InFlight, reason: unknown): void {
    flight.waiters--;
    if (flight.waiters <= 0) flight.abort(reason);
  }

  #store(key: string, value: unknown): void {
    this.#entries.set(key, { value, expiresAt: Date.now() + this.#ttlMs });
    evictOldest(this.#entries, this.#maxEntries);
  }
}
