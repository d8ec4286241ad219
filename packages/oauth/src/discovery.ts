import type { AuthorizationServer } from 'oauth4webapi';
import { OAuthError } from './oauth-error';
import { isAllowedOAuthUrl, type OAuthFetcher } from './oauth-fetch';
import { resourceCovers } from './resource-match';

/** What the protected-resource metadata (RFC 9728) tells: the resource's identifier and its authorization servers. */
export interface ResourceMetadata {
  /** Exactly as published: sent byte for byte as RFC 8707's `resource`. `null` for a 2025-03-26 server (none). */
  readonly resource: string | null;
  readonly authorizationServers: readonly string[];
  readonly scopesSupported: readonly string[] | null;
  /** `dpop_bound_access_tokens_required` (RFC 9449 §5.2): the resource takes only DPoP-bound tokens. */
  readonly dpopRequired: boolean;
  /** Where the document was found. */
  readonly url: string;
}

/** Most authorization servers considered from one metadata document. */
const MAX_AUTHORIZATION_SERVERS = 8;
const MAX_SCOPES = 256;

function fail(error: string, message: string, status?: number): never {
  throw new OAuthError({ error, message, status });
}

async function getJson(get: OAuthFetcher, url: string): Promise<{ status: number; json: unknown }> {
  const response = await get(url, { method: 'GET', headers: { accept: 'application/json' } });
  if (response.status !== 200) {
    await response.body?.cancel();
    return { status: response.status, json: undefined };
  }
  try {
    return { status: 200, json: JSON.parse(await response.text()) as unknown };
  } catch {
    return fail('invalid_metadata', `${new URL(url).origin}${new URL(url).pathname} is not JSON`, 200);
  }
}

function stringList(value: unknown, max: number): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.slice(0, max).filter((item): item is string => typeof item === 'string' && item.length <= 2048);
}

/**
 * The server's protected-resource metadata, from the URLs in the MCP spec's order: the challenge's
 * `resource_metadata`, else `/.well-known/oauth-protected-resource/<path>`, else the root one. `null` when there is
 * none (a 2025-03-26 server). Its `resource` must cover the server's URL, else it is refused: a token asked for it
 * could be sent to another resource.
 */
export async function discoverResource(
  get: OAuthFetcher,
  serverUrl: URL,
  fromChallenge: string | null,
): Promise<ResourceMetadata | null> {
  const candidates: string[] = [];
  if (fromChallenge !== null) {
    let url: URL;
    try {
      url = new URL(fromChallenge, serverUrl);
    } catch {
      return fail('invalid_challenge', 'The resource_metadata of the WWW-Authenticate challenge is not a URL');
    }
    if (!isAllowedOAuthUrl(url)) fail('insecure_url', 'The resource_metadata URL is neither https nor loopback http');
    candidates.push(url.href);
  } else {
    const path = serverUrl.pathname === '/' ? '' : serverUrl.pathname.replace(/\/$/, '');
    if (path !== '') candidates.push(`${serverUrl.origin}/.well-known/oauth-protected-resource${path}`);
    candidates.push(`${serverUrl.origin}/.well-known/oauth-protected-resource`);
  }
  for (const candidate of candidates) {
    const { status, json } = await getJson(get, candidate);
    if (status !== 200) continue;
    if (typeof json !== 'object' || json === null)
      fail('invalid_metadata', 'The protected-resource metadata is not an object');
    const document = json as Record<string, unknown>;
    const resource = document['resource'];
    if (typeof resource !== 'string' || resource.length > 2048) {
      fail('invalid_metadata', 'The protected-resource metadata has no resource');
    }
    if (!resourceCovers(resource, serverUrl)) {
      fail(
        'resource_mismatch',
        `The protected-resource metadata is for another resource than ${serverUrl.origin}${serverUrl.pathname}`,
      );
    }
    const servers = stringList(document['authorization_servers'], MAX_AUTHORIZATION_SERVERS) ?? [];
    if (servers.length === 0) fail('invalid_metadata', 'The protected-resource metadata names no authorization server');
    return {
      resource,
      authorizationServers: servers,
      scopesSupported: stringList(document['scopes_supported'], MAX_SCOPES),
      dpopRequired: document['dpop_bound_access_tokens_required'] === true,
      url: candidate,
    };
  }
  return null;
}

/** Two issuer identifiers name the same issuer (compared as URLs: `https://as.example` is `https://as.example/`). */
export function sameIssuer(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** The metadata URLs of an issuer, in the MCP spec's order (RFC 8414, then OpenID path-inserted, path-appended). */
export function metadataUrls(issuer: URL): string[] {
  const path = issuer.pathname === '/' ? '' : issuer.pathname.replace(/\/$/, '');
  if (path === '') {
    return [
      `${issuer.origin}/.well-known/oauth-authorization-server`,
      `${issuer.origin}/.well-known/openid-configuration`,
    ];
  }
  return [
    `${issuer.origin}/.well-known/oauth-authorization-server${path}`,
    `${issuer.origin}/.well-known/openid-configuration${path}`,
    `${issuer.origin}${path}/.well-known/openid-configuration`,
  ];
}

function checkEndpoints(metadata: Record<string, unknown>): void {
  for (const name of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint']) {
    const value = metadata[name];
    if (value === undefined) continue;
    let url: URL | null = null;
    try {
      url = typeof value === 'string' ? new URL(value) : null;
    } catch {
      url = null;
    }
    if (url === null) fail('invalid_metadata', `The authorization server metadata's ${name} is not a URL`);
    if (!isAllowedOAuthUrl(url))
      fail('insecure_url', `The authorization server's ${name} is neither https nor loopback http`);
  }
}

/**
 * An authorization server's metadata (RFC 8414 / OpenID discovery), refused unless its `issuer` is the one it was
 * fetched for (RFC 8414 §3.3: a document naming another issuer could send our credentials there).
 */
export async function discoverAuthorizationServer(get: OAuthFetcher, issuer: string): Promise<AuthorizationServer> {
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    return fail('invalid_metadata', 'An authorization server in the protected-resource metadata is not a URL');
  }
  if (!isAllowedOAuthUrl(issuerUrl) || issuerUrl.search !== '' || issuerUrl.hash !== '') {
    fail(
      'insecure_url',
      `The authorization server ${issuerUrl.origin} is neither https nor loopback http, or has a query`,
    );
  }
  for (const url of metadataUrls(issuerUrl)) {
    const { status, json } = await getJson(get, url);
    if (status !== 200) continue;
    if (typeof json !== 'object' || json === null)
      fail('invalid_metadata', 'The authorization server metadata is not an object');
    const metadata = json as Record<string, unknown>;
    if (typeof metadata['issuer'] !== 'string' || !sameIssuer(metadata['issuer'], issuer)) {
      fail('issuer_mismatch', `The metadata fetched for ${issuerUrl.href} names another issuer`);
    }
    checkEndpoints(metadata);
    return metadata as unknown as AuthorizationServer;
  }
  return fail('no_metadata', `The authorization server ${issuerUrl.href} publishes no metadata`);
}

/**
 * A 2025-03-26 server (no protected-resource metadata): its authorization server is its own origin, with metadata at
 * `/.well-known/oauth-authorization-server` or, when there is none, `/authorize`, `/token` and `/register`.
 */
export async function legacyAuthorizationServer(get: OAuthFetcher, serverUrl: URL): Promise<AuthorizationServer> {
  const origin = serverUrl.origin;
  const { status, json } = await getJson(get, `${origin}/.well-known/oauth-authorization-server`);
  if (status === 200 && typeof json === 'object' && json !== null) {
    const metadata = json as Record<string, unknown>;
    // Fetched for an origin, not an issuer: the issuer may carry a path, but never another origin.
    if (
      typeof metadata['issuer'] !== 'string' ||
      !URL.canParse(metadata['issuer']) ||
      new URL(metadata['issuer']).origin !== origin
    ) {
      fail('issuer_mismatch', `The metadata at ${origin} names an issuer of another origin`);
    }
    checkEndpoints(metadata);
    return metadata as unknown as AuthorizationServer;
  }
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    registration_endpoint: `${origin}/register`,
    code_challenge_methods_supported: ['S256'],
  };
}
