import {
  GatewayConfigError,
  holdSecret,
  redactingLogger,
  silentLogger,
  type AuthorizedRequest,
  type Logger,
  type RefusedAnswer,
  type RequestAuthorizer,
} from '@sark/core';
import {
  checkFunction,
  checkLogger,
  checkOptionsObject,
  checkPositive,
  checkString,
  onAbort,
} from '@sark/core/internal';
import * as oauth from 'oauth4webapi';
import { clientAuthentication, methodFor, registerClient, type ClientIdentity } from './client-identity';
import {
  discoverAuthorizationServer,
  discoverResource,
  legacyAuthorizationServer,
  sameIssuer,
  type ResourceMetadata,
} from './discovery';
import { OAuthError } from './oauth-error';
import { oauthFailure } from './oauth-failure';
import { oauthFetch, type OAuthFetcher } from './oauth-fetch';
import { importPrivateKey } from './private-key';
import { resourceCovers } from './resource-match';
import {
  MemoryTokenStore,
  type PendingAuthorization,
  type StoredClient,
  type StoredTokens,
  type StoredValue,
  type TokenStore,
} from './token-store';
import { createDPoPKey, dpopProof, type DPoPKey } from './dpop-proof';
import { authChallenges, type AuthChallenge } from './www-authenticate';

/** What an {@link AssertionSource} is told: where the assertion will be presented, and for what. */
export interface AssertionContext {
  /** The authorization server the assertion is for (its audience). */
  readonly issuer: string;
  /** The resource the token is for (RFC 8707), as its metadata published it. */
  readonly resource: string | null;
  readonly scope: string | null;
  readonly signal: AbortSignal | undefined;
  /** The OAuth client's bounded, https-only fetch: for a source that asks another server (`identityAssertion`). */
  readonly fetch: OAuthFetcher;
}

/** The JWT of the `jwt_bearer` grant (RFC 7523): a workload identity token, or an ID-JAG (`identityAssertion`). */
export type AssertionSource = (context: AssertionContext) => string | Promise<string>;

/** The grants an {@link OAuthClient} can use. */
export type OAuthGrant = 'authorization_code' | 'client_credentials' | 'jwt_bearer';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Opens the authorization URL in the user's browser somehow; resolves with the URL the browser came back to. */
export type AuthorizeUser = (url: URL, options: { signal?: AbortSignal | undefined }) => Promise<URL | string>;

/** Options of {@link OAuthClient}. */
export interface OAuthClientOptions {
  /**
   * The grant: `authorization_code` (a user signs in through `authorize`; the default when it is given),
   * `client_credentials` (a machine client: `clientId` with `clientSecret` or `privateKey`; the default otherwise),
   * or `jwt_bearer` (RFC 7523: the JWT `assertion` gives — workload identity, or SEP-990's `identityAssertion`).
   */
  grant?: OAuthGrant | undefined;
  /** The `jwt_bearer` grant's assertion, asked for at each token request. */
  assertion?: AssertionSource | undefined;
  /** Drives the user's browser (see `loopbackDriver` in `@sark/oauth/node`, `browserRedirect`). */
  authorize?: AuthorizeUser | undefined;
  /** Where the authorization server sends the browser back; registered and sent with `authorize`. */
  redirectUri?: string | undefined;
  /** A pre-registered client. Its credentials go only to `issuer` (or, without it, to the first server used). */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** `private_key_jwt`: a signing `CryptoKey`, or a PKCS#8 PEM with `signingAlgorithm` (default `ES256`). */
  privateKey?: CryptoKey | string | undefined;
  signingAlgorithm?: string | undefined;
  /**
   * How the pre-registered client authenticates at the token endpoint, as it was registered:
   * `client_secret_basic`, `client_secret_post`, `private_key_jwt` or `none`. Default: `private_key_jwt` with a
   * `privateKey`, else the first the server supports of `client_secret_basic` and `client_secret_post` with a
   * `clientSecret`, else `none`.
   */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none' | undefined;
  /** The authorization server `clientId`/`clientSecret`/`privateKey` were registered with. */
  issuer?: string | undefined;
  /** A Client ID Metadata Document URL: the client id where the server supports them (before registering). */
  clientMetadataUrl?: string | undefined;
  /** `client_name` of a dynamic registration. Default `SARK Gateway client`. */
  clientName?: string | undefined;
  /**
   * DPoP (RFC 9449): sender-constrained tokens, a fresh proof with each request. `auto` (the default) uses it where
   * the resource asks for it (a `DPoP` challenge, or `dpop_bound_access_tokens_required` in its metadata).
   */
  dpop?: boolean | 'auto' | undefined;
  /** Scopes always asked for, besides the ones the server names. */
  scope?: string | undefined;
  /** Where tokens, registrations and pending authorizations are kept. Default: memory. */
  store?: TokenStore | undefined;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** Each OAuth HTTP request (discovery, registration, token). Default 30 000. */
  timeoutMs?: number | undefined;
  /** Tokens are refreshed this long before they expire. Default 60 000. */
  refreshMarginMs?: number | undefined;
  /** pino-compatible; everything logged is redacted. */
  logger?: Logger | undefined;
}

/** What is known of one protected resource: where its tokens come from, who we are there, what we hold. */
interface Binding {
  /** The resource tokens are asked for (`null`: a 2025-03-26 server) and the URL space they may go to. */
  readonly resource: string | null;
  readonly covers: string;
  readonly issuer: string;
  readonly as: oauth.AuthorizationServer;
  readonly metadata: ResourceMetadata | null;
  readonly client: ClientIdentity;
  tokens: StoredTokens | null;
  /** The DPoP key tokens are bound to, and the nonces servers gave (by origin); `null`: Bearer tokens. */
  readonly dpop: DPoPState | null;
  /** Ends the redaction hold on the tokens held. */
  releaseTokens: () => void;
  refreshing: Promise<StoredTokens | null> | null;
}

interface DPoPState {
  readonly key: DPoPKey;
  /** oauth4webapi's handle on the same key, for token requests (it keeps the authorization server's nonce). */
  readonly handle: oauth.DPoPHandle;
  readonly nonces: Map<string, string>;
}

/** Most resources one client keeps state for; the oldest is forgotten first. */
const MAX_BINDINGS = 64;
/** How long a pending authorization (the user at the authorization server) may take. */
const PENDING_MS = 10 * 60_000;

const tokensKey = (issuer: string, resource: string, clientId: string): string =>
  `tokens ${JSON.stringify([issuer, resource, clientId])}`;
const clientKey = (issuer: string, redirectUri: string | null): string =>
  `client ${JSON.stringify([issuer, redirectUri])}`;
const pendingKey = (state: string): string => `pending ${state}`;

function isTokens(value: StoredValue | undefined): value is StoredTokens {
  return typeof value === 'object' && value !== null && typeof (value as StoredTokens).accessToken === 'string';
}

function scopeList(scope: string | null | undefined): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter((item) => item !== '') : [];
}

function union(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

/**
 * The client side of MCP authorization (2025-06-18, 2025-11-25; the 2025-03-26 fallbacks): give it to
 * `RemoteServer.connect({ auth })` or `new GatewayClient({ auth })` and a `401` from the server starts discovery
 * (protected-resource metadata, then the authorization server's), picks the client identity (pre-registered, Client
 * ID Metadata Document, or dynamic registration), gets a token (authorization code with PKCE, or client
 * credentials) for exactly that resource, and the request is sent again. Tokens are refreshed before they expire,
 * one refresh at a time; a `403 insufficient_scope` asks for the scopes held plus the new ones.
 */
export class OAuthClient implements RequestAuthorizer {
  readonly #grant: OAuthGrant;
  readonly #assertion: AssertionSource | undefined;
  readonly #authorize: AuthorizeUser | undefined;
  readonly #redirectUri: string | null;
  readonly #clientId: string | undefined;
  readonly #clientSecret: string | undefined;
  readonly #clientMethod: string | undefined;
  readonly #privateKey: Promise<CryptoKey> | undefined;
  readonly #clientMetadataUrl: string | undefined;
  readonly #clientName: string;
  readonly #scope: readonly string[];
  readonly #dpop: boolean | 'auto';
  readonly #store: TokenStore;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #refreshMarginMs: number;
  readonly #logger: Logger;
  #issuer: string | undefined;
  readonly #bindings: Binding[] = [];
  /** Authorizations under way, by the resource they are for: one at a time however many requests wait. */
  readonly #authorizing = new Map<string, Promise<void>>();

  constructor(options: OAuthClientOptions = {}) {
    checkOptionsObject(options, 'OAuthClient');
    this.#authorize = options.authorize === undefined ? undefined : checkFunction(options.authorize, 'authorize');
    this.#grant = options.grant ?? (this.#authorize ? 'authorization_code' : 'client_credentials');
    if (!['authorization_code', 'client_credentials', 'jwt_bearer'].includes(this.#grant)) {
      throw new GatewayConfigError({
        option: 'grant',
        message: 'must be authorization_code, client_credentials or jwt_bearer',
      });
    }
    this.#assertion = options.assertion === undefined ? undefined : checkFunction(options.assertion, 'assertion');
    if (this.#grant === 'jwt_bearer' && this.#assertion === undefined) {
      throw new GatewayConfigError({ option: 'assertion', message: 'the jwt_bearer grant needs assertion' });
    }
    this.#redirectUri = options.redirectUri === undefined ? null : checkUrl(options.redirectUri, 'redirectUri');
    if (this.#grant === 'authorization_code' && (this.#authorize === undefined || this.#redirectUri === null)) {
      throw new GatewayConfigError({
        option: 'authorize',
        message: 'the authorization_code grant needs authorize and redirectUri (a driver gives both)',
      });
    }
    this.#clientId = options.clientId === undefined ? undefined : checkString(options.clientId, 'clientId');
    this.#clientSecret =
      options.clientSecret === undefined ? undefined : checkString(options.clientSecret, 'clientSecret');
    if (this.#clientSecret !== undefined) holdSecret(this.#clientSecret);
    this.#clientMethod = options.tokenEndpointAuthMethod;
    const methods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none', undefined];
    if (!methods.includes(this.#clientMethod)) {
      throw new GatewayConfigError({
        option: 'tokenEndpointAuthMethod',
        message: 'must be client_secret_basic, client_secret_post, private_key_jwt or none',
      });
    }
    if (this.#grant === 'client_credentials' && this.#clientId === undefined) {
      throw new GatewayConfigError({ option: 'clientId', message: 'the client_credentials grant needs clientId' });
    }
    this.#privateKey = privateKeyOf(options);
    this.#issuer = options.issuer === undefined ? undefined : checkUrl(options.issuer, 'issuer');
    this.#clientMetadataUrl =
      options.clientMetadataUrl === undefined ? undefined : checkUrl(options.clientMetadataUrl, 'clientMetadataUrl');
    this.#clientName =
      options.clientName === undefined ? 'SARK Gateway client' : checkString(options.clientName, 'clientName');
    this.#scope = scopeList(options.scope === undefined ? undefined : checkString(options.scope, 'scope'));
    this.#dpop = options.dpop ?? 'auto';
    if (this.#dpop !== 'auto' && typeof this.#dpop !== 'boolean') {
      throw new GatewayConfigError({ option: 'dpop', message: "must be true, false or 'auto'" });
    }
    this.#store = options.store ?? new MemoryTokenStore();
    for (const method of ['get', 'set', 'delete'] as const) {
      checkFunction((this.#store as unknown as Record<string, unknown>)[method], `store.${method}`);
    }
    const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
    this.#fetch = checkFunction(fetchImpl, 'fetch');
    this.#timeoutMs = checkPositive(options.timeoutMs ?? 30_000, 'timeoutMs');
    this.#refreshMarginMs = checkPositive(options.refreshMarginMs ?? 60_000, 'refreshMarginMs');
    this.#logger = redactingLogger(checkLogger(options.logger ?? silentLogger, 'logger'));
  }

  /** `Authorization` for a request to `url`, when a token for its resource is held (refreshed first when due). */
  async headers(request: AuthorizedRequest): Promise<Readonly<Record<string, string>>> {
    const url = requestUrl(request);
    const binding = this.#bindingFor(url);
    if (binding === null) return {};
    const tokens = await this.#usableTokens(binding, request.signal);
    if (tokens === null) return {};
    if (tokens.tokenType !== 'DPoP' || binding.dpop === null) return { authorization: `Bearer ${tokens.accessToken}` };
    const proof = await dpopProof(binding.dpop.key, {
      method: request.method,
      url,
      accessToken: tokens.accessToken,
      nonce: binding.dpop.nonces.get(url.origin),
    });
    return { authorization: `DPoP ${tokens.accessToken}`, dpop: proof };
  }

  /**
   * The server refused a request: on `401` a token is got (or refreshed, or taken from the store) for the resource
   * the server names; on `403` with `insufficient_scope`, one with the scopes held plus the ones asked for.
   * Resolves `true` when the request should be sent again.
   */
  async refused(request: AuthorizedRequest, answer: RefusedAnswer): Promise<boolean> {
    const url = requestUrl(request);
    const challenges = authChallenges(answer.headers.get('www-authenticate'));
    const sent = answer.sent?.['authorization'] ?? null;
    const binding = this.#bindingFor(url);
    // RFC 9449 §9: the resource server wants its nonce in the proof; the request goes again with it.
    const nonce = answer.headers.get('dpop-nonce');
    if (binding?.dpop && challenges.some((c) => c.scheme === 'dpop' && c.error === 'use_dpop_nonce') && nonce) {
      if (nonce.length > 512) return false;
      const had = binding.dpop.nonces.get(url.origin);
      binding.dpop.nonces.set(url.origin, nonce);
      return had !== nonce;
    }
    const challenge = challenges.find((c) => c.scheme === (binding?.dpop ? 'dpop' : 'bearer')) ?? challenges[0] ?? null;
    if (answer.status === 401) return this.#unauthorized(url, challenge, sent, request.signal);
    if (answer.status === 403 && challenge?.error === 'insufficient_scope') {
      return this.#stepUp(url, challenge, sent, request.signal);
    }
    return false;
  }

  /**
   * Finishes an authorization the browser came back from (the page the authorization server redirected to, when
   * `authorize` navigated away — see `browserRedirect`): checks `state` and `iss`, gets the token, keeps it.
   */
  async finishAuthorization(callbackUrl: string | URL, options: { signal?: AbortSignal } = {}): Promise<void> {
    const callback = new URL(typeof callbackUrl === 'string' ? callbackUrl : checkUrlObject(callbackUrl));
    const state = callback.searchParams.get('state');
    const pending = state === null ? undefined : await this.#store.get(pendingKey(state));
    if (state === null || pending === undefined || !('codeVerifier' in pending)) {
      throw new OAuthError({ error: 'invalid_state', message: 'The callback matches no authorization under way' });
    }
    await this.#store.delete(pendingKey(state));
    if (pending.expiresAt < Date.now()) {
      throw new OAuthError({ error: 'invalid_state', message: 'The authorization took too long; start again' });
    }
    const binding =
      this.#bindingFor(new URL(pending.serverUrl)) ??
      (await this.#discover(new URL(pending.serverUrl), null, options.signal));
    await this.#exchangeCode(binding, pending, callback, state, options.signal);
  }

  /** Forgets every token held (here and in the store); registrations are kept. */
  async signOut(): Promise<void> {
    for (const binding of this.#bindings.splice(0)) {
      this.#hold(binding, null);
      await this.#store.delete(tokensKey(binding.issuer, binding.covers, binding.client.clientId));
    }
  }

  #bindingFor(url: URL): Binding | null {
    let best: Binding | null = null;
    for (const binding of this.#bindings) {
      if (resourceCovers(binding.covers, url) && (best === null || binding.covers.length > best.covers.length)) {
        best = binding;
      }
    }
    return best;
  }

  async #unauthorized(
    url: URL,
    challenge: AuthChallenge | null,
    sent: string | null,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const binding = this.#bindingFor(url);
    // A challenge naming other resource metadata than the binding's: another, nearer resource (a server behind a
    // gateway whose own API holds a token), not a token gone bad — discovered on its own below.
    const elsewhere =
      challenge?.resourceMetadata != null &&
      binding?.metadata != null &&
      URL.canParse(challenge.resourceMetadata, url.href) &&
      new URL(challenge.resourceMetadata, url).href !== binding.metadata.url;
    if (binding !== null && binding.tokens !== null && !elsewhere) {
      if (sent !== authorizationOf(binding.tokens)) return true; // a newer token arrived while this request was out
      // The server no longer takes the token: refresh it, or forget it.
      if (
        binding.tokens.refreshToken !== undefined &&
        (await this.#refresh(binding, binding.tokens, signal)) !== null
      ) {
        return true;
      }
      await this.#forget(binding);
    }
    await this.#once(this.#flightKey(url, challenge), () => this.#obtain(url, challenge, null), signal);
    return true;
  }

  async #stepUp(url: URL, challenge: AuthChallenge, sent: string | null, signal?: AbortSignal): Promise<boolean> {
    const binding = this.#bindingFor(url);
    if (binding === null) return this.#unauthorized(url, challenge, sent, signal);
    const held = binding.tokens === null ? [] : scopeList(binding.tokens.scope);
    const asked = scopeList(challenge.scope);
    if (binding.tokens !== null && sent !== authorizationOf(binding.tokens)) return true;
    if (asked.length === 0 || asked.every((scope) => held.includes(scope))) {
      throw new OAuthError({
        error: 'insufficient_scope',
        status: 403,
        message: `The server still wants scope the token already holds (${asked.join(' ') || 'none'}): not asked again`,
      });
    }
    await this.#once(this.#flightKey(url, challenge), () => this.#obtain(url, challenge, union(held, asked)), signal);
    return true;
  }

  #flightKey(url: URL, challenge: AuthChallenge | null): string {
    return challenge?.resourceMetadata ?? `${url.origin}${url.pathname}`;
  }

  /**
   * One authorization per resource however many requests wait for it. It runs under no caller's signal (every step
   * has a deadline, the drivers theirs); each waiter stops waiting when its own signal aborts, the others keep waiting.
   */
  #once(key: string, work: () => Promise<void>, signal: AbortSignal | undefined): Promise<void> {
    let flight = this.#authorizing.get(key);
    if (flight === undefined) {
      flight = work().finally(() => this.#authorizing.delete(key));
      flight.catch(() => undefined); // each waiter sees the failure; none left unhandled when all gave up
      this.#authorizing.set(key, flight);
    }
    return untilAborted(flight, signal);
  }

  /** Discovery, then a token from the store (unless stepping up) or from the authorization server. */
  async #obtain(url: URL, challenge: AuthChallenge | null, stepUp: string[] | null): Promise<void> {
    const binding = await this.#discover(url, challenge);
    if (stepUp === null) {
      const stored = await this.#store.get(tokensKey(binding.issuer, binding.covers, binding.client.clientId));
      if (isTokens(stored)) {
        this.#hold(binding, stored);
        if ((await this.#usableTokens(binding)) !== null) return;
      }
    }
    const scope = this.#scopeFor(binding, challenge, stepUp);
    if (this.#grant === 'client_credentials') await this.#clientCredentials(binding, scope);
    else if (this.#grant === 'jwt_bearer') await this.#jwtBearer(binding, scope);
    else await this.#authorizationCode(binding, url, scope);
  }

  /** Scopes, in the MCP spec's order: the challenge's, else the resource's `scopes_supported`, else none. */
  #scopeFor(binding: Binding, challenge: AuthChallenge | null, stepUp: string[] | null): string | null {
    const named =
      stepUp ??
      (challenge?.scope != null ? scopeList(challenge.scope) : [...(binding.metadata?.scopesSupported ?? [])]);
    const extra = [...this.#scope];
    // A refresh token where the server offers one (SEP-2207); never asked of a server that does not list it.
    const offered = binding.as.scopes_supported;
    if (this.#grant === 'authorization_code' && Array.isArray(offered) && offered.includes('offline_access')) {
      extra.push('offline_access');
    }
    const scopes = union(named, extra);
    return scopes.length === 0 ? null : scopes.join(' ');
  }

  /** The resource's metadata and its authorization server's, and who we are there: a binding, made or found. */
  async #discover(url: URL, challenge: AuthChallenge | null, signal?: AbortSignal): Promise<Binding> {
    const get = oauthFetch({ fetch: this.#fetch, timeoutMs: this.#timeoutMs }, signal);
    try {
      const metadata = await discoverResource(get, url, challenge?.resourceMetadata ?? null);
      let as: oauth.AuthorizationServer;
      if (metadata === null) as = await legacyAuthorizationServer(get, url);
      else as = await this.#firstAuthorizationServer(get, metadata);
      const covers = metadata?.resource ?? url.origin;
      const known = this.#bindings.find(
        (binding) => binding.covers === covers && sameIssuer(binding.issuer, as.issuer),
      );
      if (known) return known;
      const client = await this.#identity(as, signal);
      const wantsDPoP =
        this.#dpop === true ||
        (this.#dpop === 'auto' && (challenge?.scheme === 'dpop' || metadata?.dpopRequired === true));
      const binding: Binding = {
        dpop: wantsDPoP ? await newDPoPState() : null,
        resource: metadata?.resource ?? null,
        covers,
        issuer: as.issuer,
        as,
        metadata,
        client,
        tokens: null,
        releaseTokens: () => undefined,
        refreshing: null,
      };
      // A resource that moved to another authorization server: the old binding (and its tokens) goes.
      const moved = this.#bindings.findIndex((other) => other.covers === covers);
      if (moved !== -1) this.#bindings.splice(moved, 1);
      this.#bindings.push(binding);
      if (this.#bindings.length > MAX_BINDINGS) this.#bindings.shift();
      return binding;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw oauthFailure(error, 'Discovery');
    }
  }

  /** The first of the resource's authorization servers whose metadata can be had (each one tried, in order). */
  async #firstAuthorizationServer(get: OAuthFetcher, metadata: ResourceMetadata): Promise<oauth.AuthorizationServer> {
    let failure: unknown;
    for (const issuer of metadata.authorizationServers) {
      try {
        return await discoverAuthorizationServer(get, issuer);
      } catch (error) {
        failure = error;
        this.#logger.debug({ err: error }, 'authorization server skipped');
      }
    }
    throw failure;
  }

  /** Who we are to this authorization server: pre-registered, a metadata document URL, or registered now. */
  async #identity(as: oauth.AuthorizationServer, signal?: AbortSignal): Promise<ClientIdentity> {
    if (this.#clientId !== undefined) {
      this.#issuer ??= as.issuer;
      if (sameIssuer(this.#issuer, as.issuer)) {
        const hasSecret = this.#clientSecret !== undefined;
        const method =
          this.#clientMethod ?? (this.#privateKey !== undefined ? 'private_key_jwt' : methodFor(as, hasSecret));
        return { clientId: this.#clientId, clientSecret: this.#clientSecret, method };
      }
      // Another server than the one the credentials are for: they are never sent there.
      this.#logger.info({ issuer: as.issuer }, 'pre-registered client not used with another authorization server');
    }
    if (this.#clientMetadataUrl !== undefined && as.client_id_metadata_document_supported === true) {
      return { clientId: this.#clientMetadataUrl, method: 'none' };
    }
    if (typeof as.registration_endpoint !== 'string') {
      throw new OAuthError({
        error: 'no_client_identity',
        message: `${as.issuer} supports neither dynamic registration nor client metadata documents: pass clientId`,
      });
    }
    const key = clientKey(as.issuer, this.#redirectUri);
    const stored = await this.#store.get(key);
    if (
      typeof stored === 'object' &&
      stored !== null &&
      typeof (stored as StoredClient).clientId === 'string' &&
      !('accessToken' in stored)
    ) {
      const client = stored as StoredClient;
      return {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        method: client.tokenEndpointAuthMethod ?? 'none',
      };
    }
    const grantTypes =
      this.#grant === 'authorization_code'
        ? ['authorization_code', 'refresh_token']
        : [this.#grant === 'jwt_bearer' ? JWT_BEARER : 'client_credentials'];
    const identity = await registerClient(
      as,
      { clientName: this.#clientName, redirectUri: this.#redirectUri, grantTypes },
      this.#requestOptions(signal),
    );
    if (identity.clientSecret !== undefined) holdSecret(identity.clientSecret);
    await this.#store.set(key, {
      clientId: identity.clientId,
      clientSecret: identity.clientSecret,
      tokenEndpointAuthMethod: identity.method,
    });
    return identity;
  }

  #requestOptions(signal?: AbortSignal): { [oauth.customFetch]: OAuthFetcher; [oauth.allowInsecureRequests]: true } {
    return {
      [oauth.customFetch]: oauthFetch({ fetch: this.#fetch, timeoutMs: this.#timeoutMs }, signal),
      // oauthFetch refuses every URL that is neither https nor loopback http.
      [oauth.allowInsecureRequests]: true,
    };
  }

  /** Options of a token request: DPoP where the binding uses it, and `resource` (RFC 8707) when asked. */
  #tokenOptions(
    binding: Binding,
    signal: AbortSignal | undefined,
    withResource: boolean,
  ): oauth.TokenEndpointRequestOptions {
    const options: oauth.TokenEndpointRequestOptions = this.#requestOptions(signal);
    if (binding.dpop !== null) options.DPoP = binding.dpop.handle;
    if (withResource && binding.resource !== null) options.additionalParameters = { resource: binding.resource };
    return options;
  }

  /** A token request, sent once more when the server asks for a DPoP nonce (oauth4webapi keeps the nonce). */
  async #tokenRequest<T>(binding: Binding, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (binding.dpop === null || !oauth.isDPoPNonceError(error)) throw error;
      return send();
    }
  }

  async #clientAuth(binding: Binding): Promise<oauth.ClientAuth> {
    return clientAuthentication(binding.client, await this.#privateKey);
  }

  async #clientCredentials(binding: Binding, scope: string | null, signal?: AbortSignal): Promise<void> {
    try {
      const parameters = grantParameters(binding, scope, {});
      const client = { client_id: binding.client.clientId };
      const clientAuth = await this.#clientAuth(binding);
      const answer = await this.#tokenRequest(binding, async () => {
        const options = this.#tokenOptions(binding, signal, false);
        const response = await oauth.clientCredentialsGrantRequest(binding.as, client, clientAuth, parameters, options);
        return oauth.processClientCredentialsResponse(binding.as, client, response);
      });
      await this.#keep(binding, answer, scope);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw oauthFailure(error, 'Client credentials grant');
    }
  }

  /** RFC 7523's JWT-bearer grant, once: a refusal is the caller's to see (no retry, no other grant). */
  async #jwtBearer(binding: Binding, scope: string | null, signal?: AbortSignal): Promise<void> {
    try {
      const assertion = await (this.#assertion as AssertionSource)({
        issuer: binding.issuer,
        resource: binding.resource,
        scope,
        signal,
        fetch: oauthFetch({ fetch: this.#fetch, timeoutMs: this.#timeoutMs }, signal),
      });
      if (typeof assertion !== 'string' || assertion === '') {
        throw new OAuthError({ error: 'invalid_assertion', message: 'assertion gave no JWT' });
      }
      const release = holdSecret(assertion);
      try {
        const parameters = grantParameters(binding, scope, { assertion });
        const client = { client_id: binding.client.clientId };
        const clientAuth = await this.#clientAuth(binding);
        const answer = await this.#tokenRequest(binding, async () => {
          const options = this.#tokenOptions(binding, signal, false);
          const grant = [binding.as, client, clientAuth, JWT_BEARER, parameters, options] as const;
          return oauth.processGenericTokenEndpointResponse(
            binding.as,
            client,
            await oauth.genericTokenEndpointRequest(...grant),
          );
        });
        await this.#keep(binding, answer, scope);
      } finally {
        release();
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw oauthFailure(error, 'JWT-bearer grant');
    }
  }

  async #authorizationCode(
    binding: Binding,
    serverUrl: URL,
    scope: string | null,
    signal?: AbortSignal,
  ): Promise<void> {
    const methods = binding.as.code_challenge_methods_supported;
    if (!Array.isArray(methods) || !methods.includes('S256')) {
      throw new OAuthError({
        error: 'pkce_not_supported',
        message: `${binding.issuer} does not list PKCE S256 in code_challenge_methods_supported: refused`,
      });
    }
    const redirectUri = this.#redirectUri as string;
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(binding.as.authorization_endpoint as string);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', binding.client.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', state);
    if (scope !== null) url.searchParams.set('scope', scope);
    if (binding.resource !== null) url.searchParams.set('resource', binding.resource);
    const pending: PendingAuthorization = {
      issuer: binding.issuer,
      resource: binding.resource,
      clientId: binding.client.clientId,
      redirectUri,
      codeVerifier,
      scope,
      serverUrl: serverUrl.href,
      expiresAt: Date.now() + PENDING_MS,
    };
    await this.#store.set(pendingKey(state), pending);
    let callback: URL;
    try {
      const reached = await (this.#authorize as AuthorizeUser)(url, { signal });
      callback = new URL(reached);
    } catch (error) {
      await this.#store.delete(pendingKey(state));
      if (signal?.aborted) throw signal.reason;
      throw oauthFailure(error, 'Authorization');
    }
    await this.#store.delete(pendingKey(state));
    await this.#exchangeCode(binding, pending, callback, state, signal);
  }

  async #exchangeCode(
    binding: Binding,
    pending: PendingAuthorization,
    callback: URL,
    state: string,
    signal?: AbortSignal,
  ): Promise<void> {
    // The code and the verifier are secrets while they are in use: redacted from anything made meanwhile.
    const releases = [holdSecret(callback.searchParams.get('code')), holdSecret(pending.codeVerifier)];
    try {
      const client = { client_id: pending.clientId };
      // state, and iss (RFC 9207) where the server advertises it or sends it: the code is from the right server.
      const parameters = oauth.validateAuthResponse(binding.as, client, callback, state);
      const clientAuth = await this.#clientAuth(binding);
      const answer = await this.#tokenRequest(binding, async () => {
        const options = this.#tokenOptions(binding, signal, true);
        const { redirectUri, codeVerifier } = pending;
        const grant = [binding.as, client, clientAuth, parameters, redirectUri, codeVerifier, options] as const;
        return oauth.processAuthorizationCodeResponse(
          binding.as,
          client,
          await oauth.authorizationCodeGrantRequest(...grant),
        );
      });
      await this.#keep(binding, answer, pending.scope);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw oauthFailure(error, 'Authorization code exchange');
    } finally {
      for (const release of releases) release();
    }
  }

  /** A token answer, checked, kept in the binding and the store. */
  async #keep(
    binding: Binding,
    answer: oauth.TokenEndpointResponse,
    asked: string | null,
    previous?: StoredTokens,
  ): Promise<StoredTokens> {
    const type = answer.token_type.toLowerCase();
    if (type !== 'bearer' && !(type === 'dpop' && binding.dpop !== null)) {
      throw new OAuthError({
        error: 'unsupported_token_type',
        message: `The authorization server issued a token of a type not asked for (${type.slice(0, 20)})`,
      });
    }
    const expiresIn = answer.expires_in;
    const tokens: StoredTokens = {
      accessToken: answer.access_token,
      tokenType: type === 'dpop' ? 'DPoP' : 'Bearer',
      refreshToken: answer.refresh_token ?? previous?.refreshToken,
      expiresAt: typeof expiresIn === 'number' && expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined,
      scope: answer.scope ?? previous?.scope ?? asked ?? undefined,
    };
    this.#hold(binding, tokens);
    await this.#store.set(tokensKey(binding.issuer, binding.covers, binding.client.clientId), tokens);
    return tokens;
  }

  /** The binding's tokens when they can be sent: refreshed first when they are due, `null` when there are none. */
  async #usableTokens(binding: Binding, signal?: AbortSignal): Promise<StoredTokens | null> {
    const tokens = binding.tokens;
    if (tokens === null) return null;
    const due = tokens.expiresAt !== undefined && tokens.expiresAt - this.#refreshMarginMs <= Date.now();
    if (!due) return tokens;
    if (tokens.refreshToken !== undefined) {
      const refreshed = await this.#refresh(binding, tokens, signal);
      if (refreshed !== null) return refreshed;
    }
    // Expired and not refreshable: never sent; the 401 that follows gets a new one.
    if (tokens.expiresAt !== undefined && tokens.expiresAt <= Date.now()) {
      await this.#forget(binding);
      return null;
    }
    return tokens;
  }

  /** One refresh at a time per resource: every caller waits for it (a rotating refresh token is used once). */
  #refresh(binding: Binding, tokens: StoredTokens, signal?: AbortSignal): Promise<StoredTokens | null> {
    if (binding.tokens !== tokens && binding.tokens !== null) return Promise.resolve(binding.tokens);
    // Shared by every request waiting: it runs under no one's signal (its requests have deadlines), and each waiter
    // stops waiting when its own signal aborts — one caller giving up never fails the others.
    binding.refreshing ??= this.#refreshNow(binding, tokens).finally(() => {
      binding.refreshing = null;
    });
    return untilAborted(binding.refreshing, signal);
  }

  async #refreshNow(binding: Binding, tokens: StoredTokens): Promise<StoredTokens | null> {
    try {
      const client = { client_id: binding.client.clientId };
      const clientAuth = await this.#clientAuth(binding);
      const answer = await this.#tokenRequest(binding, async () => {
        const options = this.#tokenOptions(binding, undefined, true);
        const grant = [binding.as, client, clientAuth, tokens.refreshToken as string, options] as const;
        return oauth.processRefreshTokenResponse(binding.as, client, await oauth.refreshTokenGrantRequest(...grant));
      });
      return await this.#keep(binding, answer, tokens.scope ?? null, tokens);
    } catch (error) {
      const failure = oauthFailure(error, 'Token refresh');
      this.#logger.info({ err: failure }, 'token refresh failed; authorizing again');
      if (failure instanceof OAuthError && failure.error === 'invalid_grant') await this.#forget(binding);
      return null;
    }
  }

  /** The binding's tokens from now on, held for redaction while they are. */
  #hold(binding: Binding, tokens: StoredTokens | null): void {
    binding.releaseTokens();
    binding.tokens = tokens;
    if (tokens === null) {
      binding.releaseTokens = () => undefined;
      return;
    }
    const releases = [holdSecret(tokens.accessToken), holdSecret(tokens.refreshToken)];
    binding.releaseTokens = () => releases.forEach((release) => release());
  }

  async #forget(binding: Binding): Promise<void> {
    this.#hold(binding, null);
    await this.#store.delete(tokensKey(binding.issuer, binding.covers, binding.client.clientId));
  }
}

function requestUrl(request: AuthorizedRequest): URL {
  checkOptionsObject(request, 'request');
  try {
    return new URL(checkString(request.url, 'request.url'));
  } catch (error) {
    if (error instanceof GatewayConfigError) throw error;
    throw new GatewayConfigError({ option: 'request.url', message: 'must be an absolute URL' });
  }
}

function checkUrl(value: unknown, option: string): string {
  const text = checkString(value, option);
  if (!URL.canParse(text)) throw new GatewayConfigError({ option, message: 'must be an absolute URL' });
  return text;
}

function checkUrlObject(value: unknown): URL {
  if (!(value instanceof URL))
    throw new GatewayConfigError({ option: 'callbackUrl', message: 'must be a URL or a string' });
  return value;
}

function privateKeyOf(options: OAuthClientOptions): Promise<CryptoKey> | undefined {
  const key = options.privateKey;
  if (key === undefined) return undefined;
  if (typeof key === 'string') {
    holdSecret(key);
    const algorithm =
      options.signingAlgorithm === undefined ? 'ES256' : checkString(options.signingAlgorithm, 'signingAlgorithm');
    const imported = importPrivateKey(key, algorithm);
    imported.catch(() => undefined); // reported where it is awaited
    return imported;
  }
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey && key.type === 'private')
    return Promise.resolve(key);
  throw new GatewayConfigError({ option: 'privateKey', message: 'must be a private CryptoKey or a PKCS#8 PEM string' });
}

/** A grant's form parameters: `extra`, the scope asked for, and `resource` (RFC 8707) when the binding has one. */
function grantParameters(
  binding: Binding,
  scope: string | null,
  extra: Record<string, string>,
): Record<string, string> {
  const parameters = { ...extra };
  if (scope !== null) parameters['scope'] = scope;
  if (binding.resource !== null) parameters['resource'] = binding.resource;
  return parameters;
}

/** The `Authorization` value tokens are sent with. */
function authorizationOf(tokens: StoredTokens): string {
  return `${tokens.tokenType === 'DPoP' ? 'DPoP' : 'Bearer'} ${tokens.accessToken}`;
}

async function newDPoPState(): Promise<DPoPState> {
  const key = await createDPoPKey();
  return { key, handle: oauth.DPoP({}, key.keyPair), nonces: new Map() };
}

/** `work`, or the signal's reason as soon as it aborts (the work goes on for whoever else waits on it). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => reject(signal.reason));
    work.then(
      (value) => (stop(), resolve(value)),
      (error: unknown) => (stop(), reject(error)),
    );
  });
}
