import { describe, expect, it } from 'vitest';
import * as http from '@sark/transport-http';
import { HttpTransport } from '@sark/transport-http';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

describe('wrong arguments', () => {
  it('every export, constructor and method fails at once with a typed error and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments({
      exports: http,
      instances: {
        // Port 9 on loopback refuses at once: a call that gets as far as the network fails fast and typed.
        HttpTransport: () => new HttpTransport({ gatewayUrl: 'http://127.0.0.1:9', timeoutMs: 1000 }),
      },
    });
    expect(findings).toEqual([]);
  }, 120_000);
});
