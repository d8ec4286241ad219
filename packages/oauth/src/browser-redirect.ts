import { checkObject, checkString } from '@sark/core/internal';
import type { AuthorizeUser } from './oauth-client';

/** Options of {@link browserRedirect}. */
export interface BrowserRedirectOptions {
  /** The page of this app the authorization server sends the user back to (it calls `finishAuthorization`). */
  redirectUri: string;
  /** How the page is left. Default: `location.assign(url)`. */
  navigate?: ((url: URL) => void) | undefined;
}

/**
 * The driver for web pages: the page goes to the authorization server (the request that needed the token never
 * finishes — the page is gone), and the page at `redirectUri` calls `oauth.finishAuthorization(location.href)` on
 * return. Give the client a `TokenStore` that outlives the page (`sessionStorage`): the pending authorization (PKCE
 * verifier, `state`) and then the tokens are kept there.
 */
export function browserRedirect(options: BrowserRedirectOptions): { redirectUri: string; authorize: AuthorizeUser } {
  checkObject(options, 'browserRedirect(options)');
  const redirectUri = checkString(options.redirectUri, 'redirectUri');
  const navigate =
    options.navigate ??
    ((url: URL) => {
      (globalThis as unknown as { location: { assign(url: string): void } }).location.assign(url.href);
    });
  const authorize: AuthorizeUser = (url) => {
    navigate(url);
    return new Promise<never>(() => undefined); // the page is leaving
  };
  return { redirectUri, authorize };
}
