import { describe, expect, it } from 'vitest';
import { GatewayConfigError } from '@sark/core';
import * as resilience from '@sark/resilience';
import { CircuitBreaker, ErrorHandler, RetryPolicy, TimeoutPolicy } from '@sark/resilience';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

describe('wrong arguments', () => {
  it('an object where the signal belongs is a GatewayConfigError at once, and no deadline fires later', async () => {
    const handler = new ErrorHandler({ timeoutMs: 50 });
    const run = () => handler.execute(async () => 1, { signal: new AbortController().signal } as never);
    await expect(run).rejects.toThrow(GatewayConfigError);
    await expect(run).rejects.toThrow('execute(signal): must be an AbortSignal');
    // The deadline of the refused call would have fired here.
    await new Promise((resolve) => setTimeout(resolve, 120));
    handler.close();
  });

  it('every export, constructor and method fails at once with a typed error and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments({
      exports: resilience,
      instances: {
        CircuitBreaker: () => new CircuitBreaker(),
        ErrorHandler: () => new ErrorHandler({ timeoutMs: 1000 }),
        RetryPolicy: () => new RetryPolicy({ maxAttempts: 2 }),
        TimeoutPolicy: () => new TimeoutPolicy({ timeoutMs: 1000 }),
      },
    });
    expect(findings).toEqual([]);
  }, 120_000);
});
