import type { RequestAuthorizer } from '@sark/core';
import { checkHeaderValue, checkString } from '@sark/core/internal';

/**
 * A fixed bearer token as a `RequestAuthorizer` — for gateways that take a static key or a token minted for you
 * (`auth: bearerToken(process.env.REGISTRY_TOKEN)`). A refusal is final: there is nothing to renew.
 */
export function bearerToken(token: string): RequestAuthorizer {
  const header = `Bearer ${checkHeaderValue('Authorization', checkString(token, 'bearerToken(token)'))}`;
  const headers = Object.freeze({ authorization: header });
  return Object.freeze({
    headers: async () => headers,
    refused: async () => false,
  });
}
