type Listener = (...args: unknown[]) => void;

/** A minimal typed event emitter (no `events` module, so it runs in browsers and edge runtimes). */
export class Listeners<Events extends Record<string, unknown[]>> {
  readonly #handlers = new Map<keyof Events, Set<Listener>>();

  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    let set = this.#handlers.get(event);
    if (!set) {
      set = new Set();
      this.#handlers.set(event, set);
    }
    set.add(listener as unknown as Listener);
    return () => set.delete(listener as unknown as Listener);
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    for (const listener of this.#handlers.get(event) ?? []) listener(...args);
  }

  clear(): void {
    this.#handlers.clear();
  }
}
