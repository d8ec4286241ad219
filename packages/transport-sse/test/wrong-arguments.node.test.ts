import { describe, expect, it } from 'vitest';
import * as sse from '@sark/transport-sse';
import { SseTransport } from '@sark/transport-sse';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

describe('wrong arguments', () => {
  it('every export, constructor and method fails at once with a typed error and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments({
      exports: sse,
      instances: { SseTransport: () => new SseTransport({ gatewayUrl: 'http://127.0.0.1:9' }) },
    });
    expect(findings).toEqual([]);
  }, 120_000);
});
