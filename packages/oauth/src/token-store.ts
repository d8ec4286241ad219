/** Tokens as they are kept between requests (and, with a persistent store, between runs). */
export interface StoredTokens {
  readonly accessToken: string;
  /** `Bearer`, or `DPoP` for a sender-constrained token. */
  readonly tokenType: string;
  readonly refreshToken?: string | undefined;
  /** Epoch milliseconds; absent when the server did not say (`expires_in`). */
  readonly expiresAt?: number | undefined;
  /** The scopes granted, space-separated (the ones asked for when the server did not say). */
  readonly scope?: string | undefined;
}

/** A client registered dynamically (RFC 7591), kept so that a later run does not register again. */
export interface StoredClient {
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  readonly tokenEndpointAuthMethod?: string | undefined;
}

/** An authorization begun and not yet finished (the browser is at the authorization server). */
export interface PendingAuthorization {
  readonly issuer: string;
  readonly resource: string | null;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeVerifier: string;
  readonly scope: string | null;
  /** The request that started it: its URL, so that the resource's metadata can be found again. */
  readonly serverUrl: string;
  /** Epoch milliseconds after which the authorization is not finished any more. */
  readonly expiresAt: number;
}

/** What a {@link TokenStore} holds under a key. */
export type StoredValue = StoredTokens | StoredClient | PendingAuthorization;

/**
 * Where `OAuthClient` keeps tokens, registrations and pending authorizations, by keys it makes (issuer + resource +
 * client for tokens). Anything with `get`/`set`/`delete` will do, synchronous or not: a database, the keychain,
 * `sessionStorage`. Values are plain JSON.
 */
export interface TokenStore {
  get(key: string): StoredValue | undefined | Promise<StoredValue | undefined>;
  set(key: string, value: StoredValue): void | Promise<void>;
  delete(key: string): void | Promise<void>;
}

/** Most entries a {@link MemoryTokenStore} keeps; the oldest goes first. */
const MAX_ENTRIES = 1024;

/** The default store: this process's memory, gone when it ends. */
export class MemoryTokenStore implements TokenStore {
  readonly #entries = new Map<string, StoredValue>();

  get(key: string): StoredValue | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: StoredValue): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
