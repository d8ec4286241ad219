import type { ProbeResult } from '@sark/core';
import { toDecision, type Decision } from './decision';
import type { PolicyEvaluator, PolicyInput } from './policy-evaluator';

/** What a local policy function may return: a boolean, or an object shaped like OPA's `result`. */
export type LocalPolicyResult =
  | boolean
  | { allow: boolean; reason?: string; filtered_parameters?: Record<string, unknown>; cache_ttl?: number; audit_reason?: string };

/**
 * A policy written as a TypeScript function, evaluated in-process: for development, demos and tests. The function
 * sees the same input document OPA would, and answers like OPA's `result`.
 */
export function localPolicy(fn: (input: PolicyInput) => LocalPolicyResult | Promise<LocalPolicyResult>): PolicyEvaluator {
  return {
    async evaluate(input: PolicyInput): Promise<Decision> {
      return toDecision(await fn(input));
    },
    async health(): Promise<ProbeResult> {
      return { healthy: true, latencyMs: 0 };
    },
  };
}
