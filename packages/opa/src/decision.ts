import { GatewayProtocolError, isWireObject } from '@sark/core';

/** What a policy decided about one input. */
export interface Decision {
  readonly allow: boolean;
  /** Why (from `reason`, else `audit_reason`); a default text when the policy gave none. */
  readonly reason: string;
  /** When set, the parameters to send instead of the caller's (an object, possibly empty). */
  readonly filteredParameters?: Readonly<Record<string, unknown>>;
  readonly decisionId: string | null;
  /** How long this decision may be reused (from the policy's `cache_ttl`, in seconds on the wire). */
  readonly cacheTtlMs: number | null;
}

/** The reason used when a denial carries none. */
export const DEFAULT_DENY_REASON = 'Denied: insufficient permissions';

/**
 * Maps an OPA Data API response body (WIRE.md §4) to a {@link Decision}: a boolean result is `allow`; an object gives
 * `allow` (default false), `reason` (else `audit_reason`), `filtered_parameters`, `cache_ttl`; no `result` at all
 * means the policy is undefined for this input — a denial.
 */
export function decisionFromOpa(body: unknown): Decision {
  if (!isWireObject(body)) throw new GatewayProtocolError('OPA response: expected a JSON object');
  const decisionId = typeof body['decision_id'] === 'string' ? body['decision_id'] : null;
  if (!('result' in body)) return Object.freeze({ allow: false, reason: 'Denied: policy undefined for this input', decisionId, cacheTtlMs: null });
  return toDecision(body['result'], decisionId);
}

/** A policy's raw answer (boolean or object, as OPA's `result` or a local policy's return) as a {@link Decision}. */
export function toDecision(result: unknown, decisionId: string | null = null): Decision {
  if (typeof result === 'boolean') {
    return Object.freeze({ allow: result, reason: result ? 'Allowed' : DEFAULT_DENY_REASON, decisionId, cacheTtlMs: null });
  }
  if (!isWireObject(result)) throw new GatewayProtocolError('OPA response: result must be a boolean or an object', { field: 'result' });
  const allow = result['allow'] === true;
  const reasonValue = result['reason'] ?? result['audit_reason'];
  const filtered = result['filtered_parameters'];
  if (filtered !== undefined && filtered !== null && !isWireObject(filtered)) {
    throw new GatewayProtocolError('OPA response: result.filtered_parameters must be an object', { field: 'result.filtered_parameters' });
  }
  const ttl = result['cache_ttl'];
  return Object.freeze({
    allow,
    reason: typeof reasonValue === 'string' && reasonValue !== '' ? reasonValue : allow ? 'Allowed' : DEFAULT_DENY_REASON,
    ...(isWireObject(filtered) ? { filteredParameters: Object.freeze({ ...filtered }) } : {}),
    decisionId: typeof result['decision_id'] === 'string' ? result['decision_id'] : decisionId,
    cacheTtlMs: typeof ttl === 'number' && ttl >= 0 ? ttl * 1000 : null,
  });
}
