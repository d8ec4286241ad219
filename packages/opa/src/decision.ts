import { GatewayProtocolError, canonicalJson, jsonObjectSnapshot, jsonSnapshot, type JsonObject } from '@sark/core';
import { isWireObject } from '@sark/core/internal';

/** What a policy decided about one input. */
export interface Decision {
  readonly allow: boolean;
  /** Why (from `reason`, else `audit_reason`); a default text when the policy gave none. */
  readonly reason: string;
  /** When set, the parameters to send instead of the caller's (an object, possibly empty; deeply frozen). */
  readonly filteredParameters?: JsonObject;
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
  if (!isWireObject(body)) throw new GatewayProtocolError({ message: 'OPA response: expected a JSON object' });
  const decisionId = typeof body['decision_id'] === 'string' ? body['decision_id'] : null;
  if (!('result' in body))
    return Object.freeze({
      allow: false,
      reason: 'Denied: policy undefined for this input',
      decisionId,
      cacheTtlMs: null,
    });
  return toDecision(body['result'], decisionId);
}

/** The fields a policy's object result may carry, in OPA's wire spelling and in TypeScript's. */
const KNOWN_RESULT_KEYS: ReadonlySet<string> = new Set([
  'allow',
  'reason',
  'audit_reason',
  'auditReason',
  'filtered_parameters',
  'filteredParameters',
  'cache_ttl',
  'cacheTtlMs',
  'decision_id',
  'decisionId',
]);

/** How {@link toDecision} reads a result. */
export interface ToDecisionOptions {
  /**
   * Refuse any key the result type does not know (a misspelt filter must not be skipped silently). For results
   * written in TypeScript (`localPolicy`); OPA's package documents carry the package's helper rules too.
   */
  strict?: boolean | undefined;
}

/** One field given in either spelling; both given with different values is refused. */
function either(result: Readonly<Record<string, unknown>>, wire: string, typescript: string): unknown {
  const a = result[wire];
  const b = result[typescript];
  if (
    a !== undefined &&
    b !== undefined &&
    canonicalJson(jsonSnapshot(a, wire)) !== canonicalJson(jsonSnapshot(b, typescript))
  ) {
    throw new GatewayProtocolError({
      message: `policy result: "${wire}" and "${typescript}" disagree`,
      field: `result.${wire}`,
    });
  }
  return a ?? b;
}

/**
 * A policy's raw answer (boolean or object, as OPA's `result` or a local policy's return) as a {@link Decision}.
 * `filtered_parameters` (or `filteredParameters`) must be a JSON object; it is copied and frozen deeply, so what is
 * sent is exactly what the policy returned. `cache_ttl` is seconds, `cacheTtlMs` milliseconds.
 */
export function toDecision(
  result: unknown,
  decisionId: string | null = null,
  options: ToDecisionOptions = {},
): Decision {
  if (typeof result === 'boolean') {
    return Object.freeze({
      allow: result,
      reason: result ? 'Allowed' : DEFAULT_DENY_REASON,
      decisionId,
      cacheTtlMs: null,
    });
  }
  if (!isWireObject(result))
    throw new GatewayProtocolError({ message: 'policy result: must be a boolean or an object', field: 'result' });
  if (options.strict) {
    const unknown = Object.keys(result).filter((key) => !KNOWN_RESULT_KEYS.has(key));
    if (unknown.length > 0) {
      throw new GatewayProtocolError({
        message:
          `policy result: unknown key${unknown.length > 1 ? 's' : ''} ` +
          `${unknown.map((k) => JSON.stringify(k)).join(', ')}`,
        field: 'result',
      });
    }
  }
  const allow = result['allow'] === true;
  const reasonValue = result['reason'] ?? either(result, 'audit_reason', 'auditReason');
  const filtered = either(result, 'filtered_parameters', 'filteredParameters');
  let filteredParameters: JsonObject | undefined;
  if (filtered !== undefined && filtered !== null) {
    if (!isWireObject(filtered))
      throw new GatewayProtocolError({
        message: 'policy result: filtered_parameters must be an object',
        field: 'result.filtered_parameters',
      });
    try {
      filteredParameters = jsonObjectSnapshot(filtered, 'result.filtered_parameters');
    } catch (error) {
      throw new GatewayProtocolError({
        message: `policy result: ${(error as Error).message}`,
        field: 'result.filtered_parameters',
        cause: error,
      });
    }
  }
  const ttlSeconds = result['cache_ttl'];
  const ttlMs = result['cacheTtlMs'];
  const cacheTtlMs =
    typeof ttlMs === 'number' && ttlMs >= 0
      ? ttlMs
      : typeof ttlSeconds === 'number' && ttlSeconds >= 0
        ? ttlSeconds * 1000
        : null;
  const id = either(result, 'decision_id', 'decisionId');
  return Object.freeze({
    allow,
    reason:
      typeof reasonValue === 'string' && reasonValue !== '' ? reasonValue : allow ? 'Allowed' : DEFAULT_DENY_REASON,
    ...(filteredParameters === undefined ? {} : { filteredParameters }),
    decisionId: typeof id === 'string' ? id : decisionId,
    cacheTtlMs,
  });
}
