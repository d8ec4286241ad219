/** Secret values shorter than this are not held: they would redact ordinary words. */
export const MIN_SECRET_LENGTH = 6;

interface Registry {
  /** Each secret in use and how many holders it has. */
  readonly counts: Map<string, number>;
  /** The secrets, longest first (so a secret that contains another is replaced whole); rebuilt after a change. */
  sorted: readonly string[] | null;
}

const REGISTRY_KEY = Symbol.for('@sark/core:secrets-in-use');

function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  let found = holder[REGISTRY_KEY];
  if (!found) {
    found = { counts: new Map(), sorted: null };
    holder[REGISTRY_KEY] = found;
  }
  return found;
}

const nothingToRelease = (): void => undefined;

/**
 * Marks `value` as a secret in use until the returned function is called, so that every redaction removes it from
 * any text, whatever shape that text has. Holds are counted: a value stays registered while anyone holds it, and is
 * forgotten when the last holder releases it — memory is bounded by the secrets currently in use, and no secret in use
 * is ever evicted. The registry is shared between copies of `@sark/core`. Values shorter than 6 characters are not
 * held. Calling the release function more than once has no further effect.
 */
export function holdSecret(value: string | undefined | null): () => void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return nothingToRelease;
  const state = registry();
  const count = state.counts.get(value);
  state.counts.set(value, (count ?? 0) + 1);
  if (count === undefined) state.sorted = null;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (state.counts.get(value) ?? 1) - 1;
    if (left > 0) {
      state.counts.set(value, left);
    } else {
      state.counts.delete(value);
      state.sorted = null;
    }
  };
}

/** Every secret in use, longest first. */
export function secretsInUse(): readonly string[] {
  const state = registry();
  state.sorted ??= [...state.counts.keys()].sort((a, b) => b.length - a.length);
  return state.sorted;
}
