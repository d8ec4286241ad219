import { GatewayError } from '@sark/core';
import * as oauth from 'oauth4webapi';
import { OAuthError } from './oauth-error';

/**
 * Any failure of an OAuth step as a typed error: ours pass through; oauth4webapi's become an {@link OAuthError} with
 * the server's `error` code (and `error_description`, redacted) or the check that failed. Their `cause` (which can
 * hold a token answer) is dropped, never kept.
 */
export function oauthFailure(error: unknown, step: string): Error {
  if (error instanceof GatewayError) return error;
  if (error instanceof oauth.ResponseBodyError || error instanceof oauth.AuthorizationResponseError) {
    const description = typeof error.error_description === 'string' ? `: ${error.error_description.slice(0, 300)}` : '';
    return new OAuthError({
      error: error.error,
      status: error instanceof oauth.ResponseBodyError ? error.status : undefined,
      message: `${step}: the authorization server answered ${error.error}${description}`,
    });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return new OAuthError({
      error: 'invalid_client',
      status: error.status,
      message: `${step}: the authorization server refused with HTTP ${error.status}`,
    });
  }
  const message = error instanceof Error ? error.message.slice(0, 300) : 'failed';
  return new OAuthError({ error: 'invalid_response', message: `${step}: ${message}` });
}
