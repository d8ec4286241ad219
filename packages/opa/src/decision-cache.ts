import type { Decision } from './decision';
import type { PolicyInput } from './policy-evaluator';

/** Options of a {@link DecisionCache}. */
export interface DecisionCacheOptions {
  /** TTL for an allow whose decision carries no `cache_ttl`. Default 60 000. */
  decisionCacheTtlMs?: number;
  /** Bound on entries (oldest dropped first). Default 10 000. */
  maxEntries?: number;
}

/** Context fields that change on every call and must not split the cache. */
const VOLATILE_CONTEXT = new Set(['timestamp', 'request_id']);

function stableKey(value: unknown, top = true): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableKey(v, false)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => {
        if (top && k === 'context' && v !== null && typeof v === 'object') {
          const stable = Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([ck]) => !VOLATILE_CONTEXT.has(ck)));
          return `${JSON.stringify(k)}:${stableKey(stable, false)}`;
        }
        return `${JSON.stringify(k)}:${stableKey(v, false)}`;
      });
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * Reuses decisions for identical inputs (the whole document, minus `context.timestamp` and `context.request_id`).
 * An allow lives for its `cache_ttl`, else `decisionCacheTtlMs`; a denial only when the policy gave it a `cache_ttl`.
 * The input includes the user, so one user's decision never serves another.
 */
export class DecisionCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { decision: Decision; expiresAt: number }>();
  hits = 0;
  misses = 0;

  constructor(options: DecisionCacheOptions = {}) {
    this.#ttlMs = options.decisionCacheTtlMs ?? 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  get(input: PolicyInput): Decision | undefined {
    const key = stableKey(input);
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > Date.now()) {
      this.hits++;
      return entry.decision;
    }
    if (entry) this.#entries.delete(key);
    this.misses++;
    return undefined;
  }

  set(input: PolicyInput, decision: Decision): void {
    const ttl = decision.cacheTtlMs ?? (decision.allow ? this.#ttlMs : 0);
    if (ttl <= 0) return;
    this.#entries.set(stableKey(input), { decision, expiresAt: Date.now() + ttl });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
