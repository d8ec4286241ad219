import { GatewayError, type GatewayErrorInit } from '@sark/core';

/** Fields of an {@link OAuthError}. */
export interface OAuthErrorInit extends GatewayErrorInit {
  /** The authorization server's `error` code (`invalid_grant`, `insufficient_scope`, …), or one of ours. */
  error: string;
  /** The HTTP status of the answer that carried the error, when there was one. */
  status?: number | undefined;
}

/** An OAuth error code as RFC 6749 §5.2 allows it (printable ASCII but `"` and `\`), at most 64 characters. */
const ERROR_CODE = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

/**
 * Authorization failed: the authorization server refused (its `error` code is in `error`), a discovery document or a
 * token answer could not be accepted, or no way to authorize was left. Never carries a token, a code, a verifier or
 * a client secret.
 */
export class OAuthError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/oauth:OAuthError');
  /** The server's `error` code, or ours; `invalid_error_code` when the server's was not a valid code. */
  readonly error: string;
  readonly status: number | null;

  constructor(value: OAuthErrorInit) {
    const init: Partial<OAuthErrorInit> = typeof value === 'object' && value !== null ? value : {};
    const error = typeof init.error === 'string' && ERROR_CODE.test(init.error) ? init.error : 'invalid_error_code';
    super(init, { message: `Authorization failed (${error})`, code: 'ERR_OAUTH' });
    this.error = error;
    this.status = typeof init.status === 'number' && Number.isInteger(init.status) ? init.status : null;
  }

  protected override details(): Record<string, unknown> {
    return this.status === null ? { error: this.error } : { error: this.error, status: this.status };
  }
}
