import { jsonObjectSnapshot, type ProbeResult } from '@sark/core';
import { toDecision, type Decision } from './decision';
import type { PolicyEvaluator, PolicyInput } from './policy-evaluator';

/**
 * What a local policy function may return: a boolean, or an object shaped like OPA's `result` — in TypeScript's
 * spelling (`filteredParameters`, `cacheTtlMs`, `auditReason`) or OPA's (`filtered_parameters`, `cache_ttl` in
 * seconds, `audit_reason`). Any other key makes the decision a denial (fail closed).
 */
export type LocalPolicyResult =
  | boolean
  | {
      allow: boolean;
      reason?: string;
      filteredParameters?: Readonly<Record<string, unknown>>;
      filtered_parameters?: Readonly<Record<string, unknown>>;
      cacheTtlMs?: number;
      cache_ttl?: number;
      auditReason?: string;
      audit_reason?: string;
    };

/**
 * A policy written as a TypeScript function, evaluated in-process: for development, demos and tests. The function
 * sees the same input document OPA would (deeply frozen), and answers like OPA's `result`. A result with a key the
 * result type does not know is refused, so the call is denied: a misspelt filter is never skipped silently.
 */
export function localPolicy(
  fn: (input: PolicyInput) => LocalPolicyResult | Promise<LocalPolicyResult>,
): PolicyEvaluator {
  return {
    async evaluate(input: PolicyInput): Promise<Decision> {
      return toDecision(await fn(jsonObjectSnapshot(input, 'policy input')), null, { strict: true });
    },
    async health(): Promise<ProbeResult> {
      return { healthy: true, latencyMs: 0 };
    },
  };
}
