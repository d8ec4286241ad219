import { holdSecret } from '@sark/core';
import { checkObject, checkString } from '@sark/core/internal';
import { basicAuthorization } from './client-identity';
import type { AssertionContext, AssertionSource } from './oauth-client';
import { OAuthError } from './oauth-error';

/** Options of {@link identityAssertion}. */
export interface IdentityAssertionOptions {
  /** The enterprise identity provider's token endpoint. */
  tokenEndpoint: string;
  /** The user's ID token from that provider (or a function giving a current one). */
  idToken: string | (() => string | Promise<string>);
  /** Our client at the identity provider, and its secret if it has one (sent as client_secret_basic). */
  clientId: string;
  clientSecret?: string | undefined;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';

/**
 * Enterprise-managed authorization (SEP-990): the assertion of a `jwt_bearer` grant is an Identity Assertion
 * Authorization Grant (ID-JAG), got from the enterprise identity provider by token exchange (RFC 8693) of the
 * user's ID token, for the authorization server (`audience`) and the resource the token is for.
 */
export function identityAssertion(options: IdentityAssertionOptions): AssertionSource {
  checkObject(options, 'identityAssertion(options)');
  const tokenEndpoint = checkString(options.tokenEndpoint, 'tokenEndpoint');
  const clientId = checkString(options.clientId, 'clientId');
  const clientSecret =
    options.clientSecret === undefined ? undefined : checkString(options.clientSecret, 'clientSecret');
  holdSecret(clientSecret);
  const idTokenOf = typeof options.idToken === 'function' ? options.idToken : () => options.idToken as string;
  if (typeof options.idToken !== 'function') checkString(options.idToken, 'idToken');
  return async (context: AssertionContext): Promise<string> => {
    const idToken = await idTokenOf();
    const release = holdSecret(idToken);
    try {
      const body = new URLSearchParams({
        grant_type: TOKEN_EXCHANGE,
        requested_token_type: ID_JAG,
        subject_token: idToken,
        subject_token_type: ID_TOKEN,
        audience: context.issuer,
      });
      if (context.resource !== null) body.set('resource', context.resource);
      if (context.scope !== null) body.set('scope', context.scope);
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      };
      if (clientSecret === undefined) body.set('client_id', clientId);
      else headers['authorization'] = basicAuthorization(clientId, clientSecret);
      const response = await context.fetch(tokenEndpoint, { method: 'POST', headers, body: body.toString() });
      let answer: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(await response.text());
        if (typeof parsed === 'object' && parsed !== null) answer = parsed as Record<string, unknown>;
      } catch {
        answer = {};
      }
      if (response.status !== 200) {
        const error = typeof answer['error'] === 'string' ? answer['error'] : 'token_exchange_failed';
        throw new OAuthError({
          error,
          status: response.status,
          message: `The identity provider refused the token exchange (${error})`,
        });
      }
      const jag = answer['access_token'];
      if (typeof jag !== 'string' || jag === '' || answer['issued_token_type'] !== ID_JAG) {
        throw new OAuthError({ error: 'invalid_response', message: 'The identity provider answered no ID-JAG' });
      }
      return jag;
    } finally {
      release();
    }
  };
}
