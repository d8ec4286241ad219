type Listener = (...args: unknown[]) => void;
import { checkFunction, checkString } from '@sark/core/internal';

/**
 * A minimal typed event emitter (no `events` module, so it runs in browsers and edge runtimes). Listeners are
 * isolated as an `EventTarget`'s are: one that throws neither stops the others nor reaches the code that emitted
 * (a breaker in the middle of a state change); its error is reported as the runtime reports any uncaught error
 * (`reportError` where there is one, else rethrown in a microtask).
 */
export class Listeners<Events extends Record<string, unknown[]>> {
  readonly #handlers = new Map<keyof Events, Set<Listener>>();

  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    checkFunction(listener, `on(${checkString(event, 'on(event)')}, listener)`);
    let set = this.#handlers.get(event);
    if (!set) {
      set = new Set();
      this.#handlers.set(event, set);
    }
    set.add(listener as unknown as Listener);
    return () => set.delete(listener as unknown as Listener);
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    for (const listener of [...(this.#handlers.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }

  clear(): void {
    this.#handlers.clear();
  }
}

/** Reports an observer's error without letting it reach the code that called the observer. */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}
