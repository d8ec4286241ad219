import { describe, expect, it } from 'vitest';
import { GatewayClient } from '@sark/gateway';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

// The client's own class; what it re-exports is walked in the package it comes from.
describe('wrong arguments', () => {
  it('every constructor and method of GatewayClient fails at once, typed, and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments({
      exports: { GatewayClient },
      instances: {
        // Port 9 on loopback refuses at once: a call that gets as far as the network fails fast and typed.
        GatewayClient: () =>
          new GatewayClient({ gatewayUrl: 'http://127.0.0.1:9', timeoutMs: 1000, retry: { maxAttempts: 1 } }),
      },
    });
    expect(findings).toEqual([]);
  }, 120_000);
});
