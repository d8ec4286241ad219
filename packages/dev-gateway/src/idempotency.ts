/** How long a key's answer is replayed. */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

/** A stored answer to an invocation. */
export interface StoredAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * `Idempotency-Key` replay: the first request with a key runs, every repeat within 10 minutes (also one arriving
 * while the first still runs) gets the same answer without running the tool again.
 */
export class IdempotencyStore {
  readonly #answers = new Map<string, { answer: Promise<StoredAnswer>; expiresAt: number }>();

  run(key: string, execute: () => Promise<StoredAnswer>): { answer: Promise<StoredAnswer>; replayed: boolean } {
    const now = Date.now();
    for (const [k, entry] of this.#answers) {
      if (entry.expiresAt > now) break;
      this.#answers.delete(k);
    }
    const existing = this.#answers.get(key);
    if (existing && existing.expiresAt > now) return { answer: existing.answer, replayed: true };
    const answer = execute();
    this.#answers.set(key, { answer, expiresAt: now + IDEMPOTENCY_WINDOW_MS });
    return { answer, replayed: false };
  }
}
