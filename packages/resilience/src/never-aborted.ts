/** Made on first use, never at import time (workerd forbids `new AbortController()` at module scope). */
let neverAborted: AbortSignal | undefined;

/** The signal handed to work that was given none: it never aborts. */
export function neverAbortedSignal(): AbortSignal {
  return (neverAborted ??= new AbortController().signal);
}
