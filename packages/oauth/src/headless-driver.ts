import { checkFunction, checkOptionsObject, checkString } from '@sark/core/internal';
import type { AuthorizeUser } from './oauth-client';
import { OAuthError } from './oauth-error';

/** Options of {@link headlessDriver}. */
export interface HeadlessDriverOptions {
  /** Where the authorization server sends the "browser" back; nothing needs to listen there. */
  redirectUri?: string | undefined;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

/** Most redirects followed from the authorization URL to the redirect URI. */
const MAX_HOPS = 10;
/** Most cookies kept per origin. */
const MAX_COOKIES = 32;

/**
 * A browser with no one in front of it, for authorization servers that approve without a person — the dev gateway's,
 * the MCP conformance suite's, CI: it follows the authorization URL's redirects (keeping cookies per origin, at most
 * 10 hops) until one points at the redirect URI, and answers that. An authorization server that wants a person (it
 * answers with a page) is an `OAuthError` (`interaction_required`): use the loopback or the browser driver.
 */
export function headlessDriver(options: HeadlessDriverOptions = {}): { redirectUri: string; authorize: AuthorizeUser } {
  checkOptionsObject(options, 'headlessDriver');
  const redirectUri =
    options.redirectUri === undefined ? 'http://127.0.0.1/callback' : checkString(options.redirectUri, 'redirectUri');
  const target = new URL(redirectUri);
  const fetchImpl = checkFunction(options.fetch ?? globalThis.fetch?.bind(globalThis), 'fetch');
  const authorize: AuthorizeUser = async (url, { signal }) => {
    const jar = new Map<string, Map<string, string>>();
    let next = new URL(url);
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      if (next.origin === target.origin && next.pathname === target.pathname) return next;
      const cookies = jar.get(next.origin);
      const headers: Record<string, string> = {};
      if (cookies && cookies.size > 0) headers['cookie'] = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await fetchImpl(next.href, { redirect: 'manual', headers, ...(signal ? { signal } : {}) });
      await response.body?.cancel().catch(() => undefined);
      keepCookies(jar, next.origin, response.headers);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || location === null) {
        throw new OAuthError({
          error: 'interaction_required',
          status: response.status,
          message: `The authorization server wants a person (HTTP ${response.status}, no redirect): use another driver`,
        });
      }
      next = new URL(location, next);
    }
    if (next.origin === target.origin && next.pathname === target.pathname) return next;
    throw new OAuthError({ error: 'interaction_required', message: `No way back after ${MAX_HOPS} redirects` });
  };
  return { redirectUri, authorize };
}

function keepCookies(jar: Map<string, Map<string, string>>, origin: string, headers: Headers): void {
  const values = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
  if (values.length === 0) return;
  let cookies = jar.get(origin);
  if (!cookies) jar.set(origin, (cookies = new Map()));
  for (const value of values) {
    const pair = value.split(';', 1)[0] ?? '';
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const name = pair.slice(0, equals).trim();
    const content = pair.slice(equals + 1).trim();
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(value) || content === '') cookies.delete(name);
    else if (cookies.has(name) || cookies.size < MAX_COOKIES) cookies.set(name, content);
  }
}
