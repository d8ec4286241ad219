import { ClientClosedError, PermissionDeniedError, PolicyEvaluationError } from '@sark/core';
import type { Decision } from './decision';
import type { PolicyCallOptions, PolicyEvaluator, PolicyInput } from './policy-evaluator';

/**
 * Asks `evaluator` and fails closed: resolves with the decision when it allows, throws `PermissionDeniedError` when it
 * denies, and turns any other failure of the evaluator into `PolicyEvaluationError` (a denial too).
 */
export async function authorize(
  evaluator: PolicyEvaluator,
  input: PolicyInput,
  options: PolicyCallOptions = {},
): Promise<Decision> {
  let decision: Decision;
  try {
    decision = await evaluator.evaluate(input, options);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    // A closed evaluator is the caller's doing, not the policy's answer: it stays a ClientClosedError (still no allow).
    if (error instanceof PolicyEvaluationError || error instanceof ClientClosedError) throw error;
    throw new PolicyEvaluationError({
      message: `The policy could not be evaluated (${error instanceof Error ? error.message : String(error)}); denying`,
      cause: error,
    });
  }
  if (!decision.allow) throw new PermissionDeniedError({ reason: decision.reason, decisionId: decision.decisionId });
  return decision;
}
