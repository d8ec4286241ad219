import { checkFunction, checkSignal } from '@sark/core/internal';

/** What a policy hands the function it runs. */
export interface PolicyContext {
  /** Aborts when the caller's signal does or when a policy gives up on this run (a deadline). Pass it on. */
  readonly signal: AbortSignal;
  /** Which run of the function this is, from 1. In a {@link wrap} it counts every run of the wrapped function. */
  readonly attempt: number;
}

/**
 * The one contract of this package: the circuit breaker, retry and timeout policies, {@link wrap} of them and the
 * `ErrorHandler` all run a function this way. Aborting `signal` stops the work and rejects with the signal's reason.
 */
export interface Policy {
  execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * The arguments of `execute`, checked when the call starts: a `GatewayConfigError` then, rather than a `TypeError`
 * later — or a deadline armed for a signal nobody can listen to, firing after the call has already failed.
 */
export function checkExecuteArguments(fn: unknown, signal: unknown): AbortSignal | undefined {
  checkFunction(fn, 'execute(fn)');
  return checkSignal(signal, 'execute(signal)');
}
