export { authorize } from './authorize';
export { DecisionCache, decisionCacheKey, type DecisionCacheOptions } from './decision-cache';
export { DEFAULT_DENY_REASON, decisionFromOpa, toDecision, type Decision } from './decision';
export { buildInvocationInput, type InvocationRequest } from './invocation-input';
export { decodeJwtClaims } from './jwt-claims';
export { localPolicy, type LocalPolicyResult } from './local-policy';
export { MAX_OPA_RESPONSE_BYTES, OPAClient, type OPAClientOptions } from './opa-client';
export type { PolicyCallOptions, PolicyEvaluator, PolicyInput } from './policy-evaluator';
export { sarkExamplePolicy } from './sark-example-policy';
