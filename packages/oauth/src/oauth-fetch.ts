import { GatewayNetworkError, TimeoutError } from '@sark/core';
import { readBodyPrefix } from '@sark/core/internal';
import { OAuthError } from './oauth-error';

/** Largest discovery document, registration or token answer accepted. */
export const MAX_OAUTH_BODY_BYTES = 256 * 1024;

/** Statuses whose `Response` may not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** `true` for `https:` URLs, and for `http:` ones on a loopback host (RFC 8252 §8.3: nothing leaves the machine). */
export function isAllowedOAuthUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** A `fetch` for OAuth requests: what oauth4webapi's `customFetch` is given, and what discovery uses. */
export type OAuthFetcher = (url: string, init?: object) => Promise<Response>;

export interface OAuthFetchSettings {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
}

/**
 * The one way the OAuth client talks HTTP (oauth4webapi's requests included, through its `customFetch`): only
 * https (or loopback http), never following a redirect, within `timeoutMs`, and with the body read whole up to
 * {@link MAX_OAUTH_BODY_BYTES} — so a hostile server's endless or huge answer costs no more than the bound.
 * Resolves with a new `Response` holding the bytes read.
 */
export function oauthFetch(settings: OAuthFetchSettings, signal?: AbortSignal): OAuthFetcher {
  return async (href: string, options: object = {}): Promise<Response> => {
    const init = options as RequestInit;
    const url = new URL(href);
    if (!isAllowedOAuthUrl(url)) {
      throw new OAuthError({
        error: 'insecure_url',
        message: `Refused to send an OAuth request to ${url.origin}: only https, or http on a loopback host`,
      });
    }
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const stopped = (): Error =>
      signal?.aborted ? signal.reason : new TimeoutError({ timeoutMs: settings.timeoutMs, message: undefined });
    let response: Response;
    try {
      response = await settings.fetch(url.href, { ...init, redirect: 'manual', signal: combined });
    } catch (error) {
      if (combined.aborted) throw stopped();
      const detail = error instanceof Error ? error.message : String(error);
      throw new GatewayNetworkError({ message: `${init.method ?? 'GET'} ${url.origin}${url.pathname}: ${detail}` });
    }
    let prefix: Awaited<ReturnType<typeof readBodyPrefix>>;
    try {
      prefix = await readBodyPrefix(response.body, MAX_OAUTH_BODY_BYTES);
    } catch (error) {
      if (combined.aborted) throw stopped();
      throw new GatewayNetworkError({
        message: `Reading the answer of ${url.origin}${url.pathname} failed`,
        cause: error,
      });
    }
    if (prefix.truncated) {
      throw new OAuthError({
        error: 'response_too_large',
        status: response.status,
        message: `${url.origin}${url.pathname} answered more than ${MAX_OAUTH_BODY_BYTES} bytes; download stopped`,
      });
    }
    const status = response.status >= 200 && response.status <= 599 ? response.status : 502;
    const body = NULL_BODY.has(status) ? null : prefix.bytes;
    return new Response(body as BodyInit | null, { status, headers: response.headers });
  };
}
