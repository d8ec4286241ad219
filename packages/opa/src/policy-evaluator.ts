import type { ProbeResult } from '@sark/core';
import type { Decision } from './decision';

/** The input document a policy sees (the default shape is built by `buildInvocationInput`). */
export type PolicyInput = Readonly<Record<string, unknown>>;

/** Anything that can decide: OPA over HTTP, an in-process function, a test double. */
export interface PolicyEvaluator {
  evaluate(input: PolicyInput, options?: { signal?: AbortSignal }): Promise<Decision>;
  /** Whether the policy engine is reachable (local policies always are). */
  health?(options?: { signal?: AbortSignal }): Promise<ProbeResult>;
}
