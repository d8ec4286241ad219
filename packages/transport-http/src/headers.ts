import { addCheckedHeaders, checkHeaderValue } from '@sark/core/internal';

/** Credentials of one request. */
export interface Credentials {
  readonly apiKey?: string | undefined;
  readonly userToken?: string | undefined;
}

/** The headers every gateway request carries (WIRE.md §1), validated. The caller holds the secrets in them. */
export function gatewayHeaders(
  base: Readonly<Record<string, string>>,
  credentials: Credentials,
  extra?: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = Object.assign({}, base);
  if (credentials.apiKey !== undefined) {
    headers['x-api-key'] = checkHeaderValue('X-API-Key', credentials.apiKey);
  }
  if (credentials.userToken !== undefined) {
    headers['authorization'] = `Bearer ${checkHeaderValue('Authorization', credentials.userToken)}`;
  }
  return extra ? addCheckedHeaders(headers, extra) : headers;
}
