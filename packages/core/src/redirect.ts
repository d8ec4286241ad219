import { redactUrl } from './redact';

/** Same-origin redirects followed for one request before it fails. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** What to do with an answer: follow it (`url`), or fail, saying why (`refused`). Null: the answer is no redirect. */
export type RedirectStep = { readonly url: string } | { readonly refused: string } | null;

/** A request that was answered with a redirect. */
export interface RedirectedRequest {
  readonly method: string;
  /** The absolute URL that was asked for. */
  readonly url: string;
  /** The only origin requests may go to (the configured one). */
  readonly origin: string;
  /** Redirects already followed for this request. */
  readonly redirects: number;
}

/**
 * The one redirect rule of every transport: a request never leaves the configured origin, so credentials and bodies
 * never reach another host. A redirect is followed only when it stays on that origin, keeps the method (307/308 for
 * anything but GET), and fewer than {@link MAX_REDIRECTS} were followed; otherwise the reason names the redacted
 * target. `status` 0 is how browsers report a redirect they hide (`redirect: 'manual'`): never followed.
 */
export function redirectStep(
  request: RedirectedRequest,
  status: number,
  location: string | null | undefined,
): RedirectStep {
  if (status === 0) return { refused: 'a redirect whose target this runtime hides (not followed)' };
  if (!REDIRECT_STATUSES.has(status)) return null;
  if (location === null || location === undefined || location === '')
    return { refused: 'a redirect without a Location (not followed)' };
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    return { refused: `a redirect to an invalid Location "${redactUrl(location.slice(0, 200))}" (not followed)` };
  }
  if (target.origin !== request.origin)
    return { refused: `a redirect to another origin, ${redactUrl(target)} (not followed)` };
  if (request.method !== 'GET' && status !== 307 && status !== 308) {
    return { refused: `a ${status} redirect, which would change the method of a ${request.method} (not followed)` };
  }
  if (request.redirects >= MAX_REDIRECTS) return { refused: `more than ${MAX_REDIRECTS} redirects (not followed)` };
  return { url: target.href };
}
