import type { ProbeResult, SignalOptions } from '@sark/core';
import type { Decision } from './decision';
import type { InvocationRequest } from './invocation-input';

/** The input document a policy sees (the default shape is built by `buildInvocationInput`). */
export type PolicyInput = Readonly<Record<string, unknown>>;

/** The `{ signal }` options every policy operation takes. */
export type PolicyCallOptions = SignalOptions;

/** Anything that can decide: OPA over HTTP, an in-process function, a test double. */
export interface PolicyEvaluator {
  evaluate(input: PolicyInput, options?: PolicyCallOptions): Promise<Decision>;
  /**
   * Authorizes one invocation building its own input (an `OPAClient` does, honouring its `inputBuilder` and
   * `includeToken`): the allowing decision, or `PermissionDeniedError` / `PolicyEvaluationError`. Without it the
   * client builds the default input document and calls `evaluate`.
   */
  authorizeInvocation?(request: InvocationRequest & PolicyCallOptions): Promise<Decision>;
  /** Whether the policy engine is reachable (local policies always are). */
  health?(options?: PolicyCallOptions): Promise<ProbeResult>;
  /** Releases what the evaluator holds; the client calls it from its own `close()`. */
  close?(): Promise<void>;
}
