import { canonicalJson, type JsonObject, type JsonValue } from '@sark/core';
import {
  checkInteger,
  checkObject,
  checkOptionsObject,
  checkPositive,
  checkString,
  evictOldest,
  setOwn,
} from '@sark/core/internal';
import type { Decision } from './decision';

/** Options of a {@link DecisionCache}. */
export interface DecisionCacheOptions {
  /** TTL for an allow whose decision carries no `cache_ttl`. Default 60 000. */
  decisionCacheTtlMs?: number | undefined;
  /** Bound on entries (oldest dropped first). Default 10 000. */
  maxEntries?: number | undefined;
}

/** Context fields that change on every call and must not split the cache. */
const VOLATILE_CONTEXT = new Set(['timestamp', 'request_id']);

/**
 * The key of one input: its identity (a fingerprint of the user's token) and the canonical serialisation of exactly
 * the document the policy received (parsed back from the text that was sent), minus the volatile context fields. Two
 * inputs share a key only when they are the same data for the same user.
 */
export function decisionCacheKey(input: JsonObject, identity: string): string {
  checkObject(input, 'decisionCacheKey(input)');
  checkString(identity, 'decisionCacheKey(identity)');
  let document: JsonObject = input;
  const context = input['context'];
  if (typeof context === 'object' && context !== null && !Array.isArray(context)) {
    const stable: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(context as JsonObject))
      if (!VOLATILE_CONTEXT.has(key)) setOwn(stable, key, value);
    document = { ...input };
    setOwn(document as Record<string, JsonValue>, 'context', stable);
  }
  return `${identity}\n${canonicalJson(document)}`;
}

/**
 * Reuses decisions for identical inputs of the same user (the whole document, minus `context.timestamp` and
 * `context.request_id`).
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
    this.#ttlMs = checkPositive(options.decisionCacheTtlMs ?? 60_000, 'decisionCache.decisionCacheTtlMs');
    this.#maxEntries = checkInteger(options.maxEntries ?? 10_000, 'decisionCache.maxEntries', 1);
  }

  /** The decision cached under `key` (from {@link decisionCacheKey}), if it is still fresh. */
  get(key: string): Decision | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > Date.now()) {
      this.hits++;
      return entry.decision;
    }
    if (entry) this.#entries.delete(key);
    this.misses++;
    return undefined;
  }

  set(key: string, decision: Decision): void {
    checkString(key, 'set(key)');
    checkObject(decision, 'set(decision)');
    const ttl = decision.cacheTtlMs ?? (decision.allow ? this.#ttlMs : 0);
    if (ttl <= 0) return;
    this.#entries.set(key, { decision, expiresAt: Date.now() + ttl });
    evictOldest(this.#entries, this.#maxEntries);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
