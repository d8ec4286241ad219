import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import type { default as ProviderClass, KoaContextWithOIDC } from 'oidc-provider';
import { memoryAdapterFactory } from './memory-adapter';

/** The OAuth mode of the dev gateway (config `oauth`): who signs in, and what tokens look like. */
export interface OAuthModeConfig {
  /** Scopes a token for `/mcp/{server}` must hold (`scopes_supported` of its metadata). */
  readonly scopes: readonly string[];
  /** Lifetime of access tokens, in seconds. */
  readonly accessTokenTtlSeconds: number;
  /** The account every sign-in is approved for. */
  readonly user: string;
  /**
   * Scopes that single tools need besides `scopes`, by `server/tool` (as the MCP Gateway Registry gates tools): a
   * `tools/call` without it gets `403 insufficient_scope`, naming the scopes to ask for.
   */
  readonly toolScopes: Readonly<Record<string, string>>;
}

/** What the gateway learns of a bearer token on `/mcp/{server}`. */
export type TokenCheck =
  | { readonly ok: true; readonly user: string; readonly scopes: ReadonlySet<string> }
  | { readonly ok: false; readonly why: string };

/**
 * A real OAuth 2.1 authorization server (oidc-provider, certified) beside the gateway, on its own port — as in
 * deployments, where the authorization server is another origin. It registers clients dynamically (RFC 7591), issues
 * tokens for exactly one resource (RFC 8707) with PKCE, refreshes with rotation, takes client credentials, and
 * approves every sign-in at once as `user` (a development gateway has no login page: the redirect back carries the
 * code straight away, as the MCP conformance suite's authorization server does).
 */
export class AuthorizationServer {
  readonly issuer: string;
  readonly #provider: ProviderClass;
  readonly #server: Server;
  readonly #config: OAuthModeConfig;

  private constructor(issuer: string, provider: ProviderClass, server: Server, config: OAuthModeConfig) {
    this.issuer = issuer;
    this.#provider = provider;
    this.#server = server;
    this.#config = config;
  }

  /** Starts it on `host`, on a free port. `resourceInfo` says which resources exist (`null`: unknown). */
  static async start(
    config: OAuthModeConfig,
    host: string,
    isResource: (indicator: string) => boolean,
  ): Promise<AuthorizationServer> {
    const { default: Provider, errors } = await importQuietly();
    let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
    const server = createServer((req, res) => handler?.(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, resolve);
    });
    const { address, port } = server.address() as AddressInfo;
    const issuer = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    const provider = new Provider(issuer, {
      features: {
        registration: { enabled: true },
        clientCredentials: { enabled: true },
        revocation: { enabled: true },
        introspection: { enabled: true },
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => undefined as unknown as string,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: KoaContextWithOIDC, indicator: string) => {
            if (!isResource(indicator)) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
            return {
              scope: [...new Set([...config.scopes, ...Object.values(config.toolScopes)])].join(' '),
              audience: indicator,
              accessTokenTTL: config.accessTokenTtlSeconds,
              accessTokenFormat: 'opaque',
            };
          },
        },
      },
      scopes: ['openid', 'offline_access', ...config.scopes],
      clientDefaults: {
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
        id_token_signed_response_alg: 'ES256',
      },
      issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      pkce: { required: () => true },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
      ttl: {
        AccessToken: config.accessTokenTtlSeconds,
        ClientCredentials: config.accessTokenTtlSeconds,
        Interaction: 600,
        Session: 86_400,
        Grant: 86_400,
        RefreshToken: 86_400,
        AuthorizationCode: 60,
      },
      // Development only: fresh keys per run (nothing the gateway issues outlives it).
      adapter: memoryAdapterFactory(),
      jwks: { keys: [generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })] },
      cookies: { keys: [crypto.randomUUID()] },
    });
    provider.on('server_error', () => undefined);
    const callback = provider.callback();
    const running = new AuthorizationServer(issuer, provider, server, config);
    handler = (req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (/^\/interaction\/[\w-]+$/.test(path)) return void running.#approve(req, res);
      // Browser apps register themselves too (a development convenience: oidc-provider serves no CORS there).
      if (path === '/reg' && allowRegistrationFrom(req, res)) return;
      callback(req, res);
    };
    return running;
  }

  /** Every sign-in approved at once: the login, then consent to exactly the scopes and resource asked for. */
  async #approve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const details = await this.#provider.interactionDetails(req, res);
      const clientId = String(details.params['client_id']);
      if (details.prompt.name === 'login') {
        await this.#provider.interactionFinished(req, res, { login: { accountId: this.#config.user } });
        return;
      }
      const accountId = details.session?.accountId ?? this.#config.user;
      const grant = details.grantId
        ? ((await this.#provider.Grant.find(details.grantId)) ?? new this.#provider.Grant({ accountId, clientId }))
        : new this.#provider.Grant({ accountId, clientId });
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
      await this.#provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('The interaction could not be completed: start the authorization again.');
    }
  }

  /** Whether `token` is a live access token issued for `resource`, with every scope the gateway requires. */
  async check(token: string, resource: string): Promise<TokenCheck> {
    const found =
      (await this.#provider.AccessToken.find(token).catch(() => undefined)) ??
      (await this.#provider.ClientCredentials.find(token).catch(() => undefined));
    if (found === undefined || found.isExpired) return { ok: false, why: 'The access token is unknown or expired' };
    const audience = Array.isArray(found.aud) ? found.aud : [found.aud];
    if (!audience.includes(resource)) return { ok: false, why: 'The access token is for another resource' };
    const granted = new Set(String(found.scope ?? '').split(' '));
    if (!this.#config.scopes.every((scope) => granted.has(scope))) {
      return { ok: false, why: 'The access token lacks a required scope' };
    }
    const user = 'accountId' in found ? String(found.accountId) : String(found.clientId);
    return { ok: true, user, scopes: granted };
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * oidc-provider, imported without the one warning it prints on Node 20 ("Use Node.js v22.x"): the dev gateway's use
 * of it is tested on Node 20 and 24, and the warning would be noise in every run of the quick start.
 */
async function importQuietly(): Promise<typeof import('oidc-provider')> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

/**
 * CORS for dynamic registration from any page: a preflight is answered here (`true`), a registration gets the
 * page's origin allowed and goes on to oidc-provider (`false`).
 */
function allowRegistrationFrom(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': 'content-type, accept, authorization',
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}
