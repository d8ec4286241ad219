import { neverAbortedSignal } from './never-aborted';
import { checkFunction } from '@sark/core/internal';
import { checkExecuteArguments, type Policy, type PolicyContext } from './policy';

/**
 * Runs `fn` inside each policy in turn, the first one outermost: `wrap(breaker, retry, timeout)` lets the breaker
 * record one outcome per operation, retries it, and gives each attempt its own deadline. Each layer hands the next
 * its signal, so an abort or a deadline reaches the work. `attempt` counts the runs of `fn`. `wrap()` with no
 * policies just runs `fn` (a way to switch resilience off without another code path).
 */
export function wrap(...policies: readonly Policy[]): Policy {
  return new PolicyWrap(policies);
}

class PolicyWrap implements Policy {
  readonly #policies: readonly Policy[];

  constructor(policies: readonly Policy[]) {
    policies.forEach((policy, index) =>
      checkFunction((policy as Partial<Policy> | null)?.execute, `wrap(policies[${index}]).execute`),
    );
    this.#policies = [...policies];
  }

  execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      checkExecuteArguments(fn, signal);
    } catch (error) {
      return Promise.reject(error);
    }
    const policies = this.#policies;
    let attempt = 0;
    const run = (index: number, context: PolicyContext): Promise<T> => {
      const policy = policies[index];
      if (policy === undefined) return fn({ signal: context.signal, attempt: ++attempt });
      return policy.execute((inner) => run(index + 1, inner), context.signal);
    };
    const outermost = policies[0];
    if (outermost === undefined) {
      if (signal?.aborted) return Promise.reject(signal.reason as unknown);
      return fn({ signal: signal ?? neverAbortedSignal(), attempt: 1 });
    }
    return outermost.execute((inner) => run(1, inner), signal);
  }
}
