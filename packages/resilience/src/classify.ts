import { GatewayHttpError, GatewayNetworkError, RetryExhaustedError, TimeoutError } from '@sark/core';

/** HTTP statuses worth another attempt (BEHAVIOUR.md): the gateway or something in front of it was busy or down. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * The default retry classifier: network errors, per-attempt timeouts and HTTP 408, 425, 429, 500, 502, 503, 504.
 * Everything else (a 404, a denial, a protocol error, the caller's abort) is final.
 */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof GatewayNetworkError || error instanceof TimeoutError) return true;
  return error instanceof GatewayHttpError && RETRYABLE_STATUSES.has(error.status);
}

/** Connection errors that mean nothing was sent: the connection was never made. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether a failed request surely never reached its target — for requests that must not run twice and have no
 * idempotency key (an MCP `tools/call`): the connection was never made (refused, no such host), or the server
 * answered 429 or 503 (it turned the request away). A timeout or a dropped connection may have reached it: false.
 */
export function isUnsentFailure(error: unknown): boolean {
  if (error instanceof GatewayHttpError) return error.status === 429 || error.status === 503;
  if (!(error instanceof GatewayNetworkError)) return false;
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 5 && typeof cause === 'object' && cause !== null; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_CONNECTED.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The default circuit-breaker classifier: does this failure say the gateway is unwell? Network errors, timeouts,
 * HTTP 5xx, 408 and 429 (also when they exhausted the retries) count; other 4xx, denials, protocol errors and aborts
 * by the caller do not — the gateway is up, the request was wrong.
 */
export function isBreakerFailure(error: unknown): boolean {
  if (error instanceof RetryExhaustedError) return isBreakerFailure(error.cause);
  if (error instanceof GatewayNetworkError || error instanceof TimeoutError) return true;
  return error instanceof GatewayHttpError && (error.status >= 500 || error.status === 408 || error.status === 429);
}

/** The server's `Retry-After`, in ms, when the error carries one. */
export function retryAfterOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}
