import type { Logger } from '@sark/core';
import {
  CircuitBreaker,
  RetryPolicy,
  isRetryableError,
  isUnsentFailure,
  wrap,
  type Policy,
  type RetryPolicyOptions,
} from '@sark/resilience';
import { failedBeforeTheCall } from './mcp-sessions';
import type { GatewayClientOptions } from './options';

/**
 * The client's failure handling: `wrap(breaker, retry)` around each HTTP operation (the transport enforces each
 * attempt's deadline itself, so no timeout layer is needed), or nothing at all with `enableErrorHandling: false`.
 * A breaker passed in is shared: `close()` leaves it running.
 */
export class ClientResilience {
  readonly policy: Policy;
  /**
   * For calls that must not run twice and carry no idempotency key (an MCP `tools/call`): the same breaker, retrying
   * only what surely never reached the tool.
   */
  readonly unsentOnlyPolicy: Policy;
  readonly breaker: CircuitBreaker | null;
  readonly retry: RetryPolicy | null;
  readonly #unsentRetry: RetryPolicy | null;
  readonly #ownsBreaker: boolean;

  constructor(options: Pick<GatewayClientOptions, 'enableErrorHandling' | 'circuitBreaker' | 'retry'>, logger: Logger) {
    const shared = options.circuitBreaker instanceof CircuitBreaker ? options.circuitBreaker : null;
    this.#ownsBreaker = shared === null;
    if (options.enableErrorHandling === false) {
      this.breaker = null;
      this.retry = null;
      this.#unsentRetry = null;
      this.policy = wrap();
      this.unsentOnlyPolicy = this.policy;
      return;
    }
    const retry = options.retry ?? {};
    const userOnRetry = retry.onRetry;
    const settings: RetryPolicyOptions = {
      ...retry,
      onRetry: (event) => {
        const { attempt, delayMs, error } = event;
        logger.warn(
          { attempt, delayMs, err: error instanceof Error ? error.message : String(error) },
          'retrying gateway operation',
        );
        userOnRetry?.(event);
      },
    };
    this.retry = new RetryPolicy(settings);
    const retryOn = retry.retryOn ?? isRetryableError;
    this.#unsentRetry = new RetryPolicy({
      ...settings,
      retryOn: (error, attempt) => (isUnsentFailure(error) || failedBeforeTheCall(error)) && retryOn(error, attempt),
    });
    this.breaker =
      shared ??
      new CircuitBreaker(options.circuitBreaker instanceof CircuitBreaker ? undefined : options.circuitBreaker);
    this.policy = wrap(this.breaker, this.retry);
    this.unsentOnlyPolicy = wrap(this.breaker, this.#unsentRetry);
  }

  /** Ends every wait between attempts at once (`ClientClosedError`) and stops the client's own breaker. */
  close(): void {
    this.retry?.close();
    this.#unsentRetry?.close();
    if (this.#ownsBreaker) this.breaker?.close();
  }
}
