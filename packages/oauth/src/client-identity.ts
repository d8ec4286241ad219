import * as oauth from 'oauth4webapi';
import { OAuthError } from './oauth-error';

/** Who we are to one authorization server, and how we prove it at its token endpoint. */
export interface ClientIdentity {
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  /** `client_secret_basic`, `client_secret_post`, `private_key_jwt` or `none`. */
  readonly method: string;
}

/** The token endpoint authentication methods an authorization server supports (RFC 8414's default when unsaid). */
export function supportedMethods(as: oauth.AuthorizationServer): readonly string[] {
  const methods = as.token_endpoint_auth_methods_supported;
  return Array.isArray(methods) ? methods.filter((method) => typeof method === 'string') : ['client_secret_basic'];
}

/**
 * The method for a client holding a secret (or not): `client_secret_basic` where the server takes it (or says
 * nothing), else `client_secret_post`; a client without one uses `none`.
 */
export function methodFor(as: oauth.AuthorizationServer, hasSecret: boolean): string {
  if (!hasSecret) return 'none';
  const methods = supportedMethods(as);
  if (methods.includes('client_secret_basic')) return 'client_secret_basic';
  if (methods.includes('client_secret_post')) return 'client_secret_post';
  return 'client_secret_basic';
}

/** `application/x-www-form-urlencoded`, as RFC 6749 §2.3.1 has the id and secret encoded (`-` stays `-`). */
const formEncoded = (value: string): string => new URLSearchParams([['', value]]).toString().slice(1);

/**
 * `client_secret_basic` with the id and secret form-encoded the common way: oauth4webapi's escapes every character
 * but letters and digits (`-` becomes `%2D`), which servers that do not decode (many) take for another client.
 */
function clientSecretBasic(secret: string): oauth.ClientAuth {
  return (_as, client, _body, headers) => {
    headers.set('authorization', basicAuthorization(client.client_id, secret));
  };
}

/** `Authorization: Basic` for a client id and secret, form-encoded first (RFC 6749 §2.3.1). */
export function basicAuthorization(clientId: string, secret: string): string {
  return `Basic ${btoa(`${formEncoded(clientId)}:${formEncoded(secret)}`)}`;
}

/** The oauth4webapi client authentication for an identity. */
export function clientAuthentication(identity: ClientIdentity, privateKey: CryptoKey | undefined): oauth.ClientAuth {
  switch (identity.method) {
    case 'private_key_jwt':
      if (privateKey === undefined)
        throw new OAuthError({ error: 'no_private_key', message: 'private_key_jwt needs privateKey' });
      return oauth.PrivateKeyJwt(privateKey);
    case 'client_secret_basic':
      return clientSecretBasic(identity.clientSecret ?? '');
    case 'client_secret_post':
      return oauth.ClientSecretPost(identity.clientSecret ?? '');
    default:
      return oauth.None();
  }
}

/**
 * SEP-837's `application_type`: `native` for a client the user runs (a loopback or private-scheme redirect URI, as
 * the command-line driver's), `web` for one a web server runs (an https redirect URI, or none: a machine client).
 */
function applicationType(redirectUri: string | null): 'native' | 'web' {
  if (redirectUri === null) return 'web';
  const url = new URL(redirectUri);
  if (url.protocol === 'https:') return 'web';
  return 'native';
}

/** What a dynamic registration asks for (RFC 7591). */
export interface RegistrationRequest {
  readonly clientName: string;
  readonly redirectUri: string | null;
  readonly grantTypes: readonly string[];
}

/**
 * Registers a client with the authorization server (RFC 7591): a public client (`none`, PKCE protects the code)
 * where the server allows it, else one with a secret by the method the server supports.
 */
export async function registerClient(
  as: oauth.AuthorizationServer,
  request: RegistrationRequest,
  options: oauth.DynamicClientRegistrationRequestOptions,
): Promise<ClientIdentity> {
  const methods = supportedMethods(as);
  const wanted = methods.includes('none') ? 'none' : methodFor(as, true);
  const metadata: Partial<oauth.Client> = {
    client_name: request.clientName,
    grant_types: [...request.grantTypes],
    response_types: request.redirectUri === null ? [] : ['code'],
    token_endpoint_auth_method: wanted,
    application_type: applicationType(request.redirectUri),
  };
  if (request.redirectUri !== null) metadata['redirect_uris'] = [request.redirectUri];
  const response = await oauth.dynamicClientRegistrationRequest(as, metadata, options);
  // Read leniently (servers in use leave out client_secret_expires_at, which RFC 7591 requires with a secret): a
  // client_id is all that is needed, and what comes with it is checked for its type.
  let client: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(await response.text());
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      client = parsed as Record<string, unknown>;
  } catch {
    client = null;
  }
  if (response.status !== 201 && response.status !== 200) {
    const error = typeof client?.['error'] === 'string' ? client['error'] : 'registration_failed';
    const description = client?.['error_description'];
    const detail = typeof description === 'string' ? `: ${description.slice(0, 300)}` : '';
    throw new OAuthError({
      error,
      status: response.status,
      message: `Dynamic client registration failed (HTTP ${response.status}, ${error})${detail}`,
    });
  }
  const clientId = client?.['client_id'];
  if (typeof clientId !== 'string' || clientId === '' || clientId.length > 2048) {
    throw new OAuthError({ error: 'invalid_client_metadata', message: 'The registration answer has no client_id' });
  }
  const secret = typeof client?.['client_secret'] === 'string' ? client['client_secret'] : undefined;
  const declared = client?.['token_endpoint_auth_method'];
  const method = typeof declared === 'string' ? declared : methodFor(as, secret !== undefined);
  return { clientId, clientSecret: secret, method };
}
