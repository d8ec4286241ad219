import type { Logger } from '@sark/core';
import { CircuitBreaker, RetryPolicy, wrap, type Policy } from '@sark/resilience';
import type { GatewayClientOptions } from './options';

/**
 * The client's failure handling: `wrap(breaker, retry)` around each HTTP operation (the transport enforces each
 * attempt's deadline itself, so no timeout layer is needed), or nothing at all with `enableErrorHandling: false`.
 * A breaker passed in is shared: `close()` leaves it running.
 */
export class ClientResilience {
  readonly policy: Policy;
  readonly breaker: CircuitBreaker | null;
  readonly retry: RetryPolicy | null;
  readonly #ownsBreaker: boolean;

  constructor(options: Pick<GatewayClientOptions, 'enableErrorHandling' | 'circuitBreaker' | 'retry'>, logger: Logger) {
    const shared = options.circuitBreaker instanceof CircuitBreaker ? options.circuitBreaker : null;
    this.#ownsBreaker = shared === null;
    if (options.enableErrorHandling === false) {
      this.breaker = null;
      this.retry = null;
      this.policy = wrap();
      return;
    }
    const retry = options.retry ?? {};
    const userOnRetry = retry.onRetry;
    this.retry = new RetryPolicy({
      ...retry,
      onRetry: (event) => {
        const { attempt, delayMs, error } = event;
        logger.warn(
          { attempt, delayMs, err: error instanceof Error ? error.message : String(error) },
          'retrying gateway operation',
        );
        userOnRetry?.(event);
      },
    });
    this.breaker =
      shared ??
      new CircuitBreaker(options.circuitBreaker instanceof CircuitBreaker ? undefined : options.circuitBreaker);
    this.policy = wrap(this.breaker, this.retry);
  }

  /** Ends every wait between attempts at once (`ClientClosedError`) and stops the client's own breaker. */
  close(): void {
    this.retry?.close();
    if (this.#ownsBreaker) this.breaker?.close();
  }
}
