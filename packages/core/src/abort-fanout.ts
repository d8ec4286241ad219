/** The callbacks waiting on one signal, behind the single listener that signal gets from us. */
interface Fanout {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const fanouts = new WeakMap<AbortSignal, Fanout>();

/**
 * Calls `callback` once when `signal` aborts; returns a function that unsubscribes. However many calls share one
 * signal (a caller's one AbortController for a batch of 50 requests), the signal gets a single listener from us, so
 * Node never warns about a listener leak and the signal is left as it was found once every call is over.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let fanout = fanouts.get(signal);
  if (!fanout) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      fanouts.delete(signal);
      for (const waiting of [...callbacks]) waiting();
    };
    fanout = { callbacks, listener };
    fanouts.set(signal, fanout);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callbacks, listener } = fanout;
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    signal.removeEventListener('abort', listener);
    if (fanouts.get(signal)?.callbacks === callbacks) fanouts.delete(signal);
  };
}
