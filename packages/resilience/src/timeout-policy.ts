import { checkOptionsObject, checkPositive } from '@sark/core/internal';
import { checkExecuteArguments, type Policy, type PolicyContext } from './policy';
import { withTimeout } from './timeout';

/** Options of a {@link TimeoutPolicy}. */
export interface TimeoutPolicyOptions {
  /** The deadline of each run, in ms. `Infinity` sets none. */
  timeoutMs: number;
}

/** A deadline per run as a {@link Policy} (see {@link withTimeout}): the run's signal aborts with a `TimeoutError`. */
export class TimeoutPolicy implements Policy {
  readonly timeoutMs: number;

  constructor(options: TimeoutPolicyOptions) {
    this.timeoutMs = checkPositive(checkOptionsObject(options, 'timeout').timeoutMs, 'timeout.timeoutMs');
  }

  execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      checkExecuteArguments(fn, signal);
    } catch (error) {
      return Promise.reject(error);
    }
    return withTimeout((deadline) => fn({ signal: deadline, attempt: 1 }), this.timeoutMs, { signal });
  }
}
