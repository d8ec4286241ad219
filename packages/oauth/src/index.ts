export { OAuthClient } from './oauth-client';
export type { AssertionContext, AssertionSource, AuthorizeUser, OAuthClientOptions, OAuthGrant } from './oauth-client';
export { OAuthError } from './oauth-error';
export type { OAuthErrorInit } from './oauth-error';
export { MemoryTokenStore } from './token-store';
export type { PendingAuthorization, StoredClient, StoredTokens, StoredValue, TokenStore } from './token-store';
export { identityAssertion } from './identity-assertion';
export type { IdentityAssertionOptions } from './identity-assertion';
