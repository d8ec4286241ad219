import { describe, expect, it } from 'vitest';
import * as core from '@sark/core';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

describe('wrong arguments', () => {
  it('every export, constructor and method fails at once with a typed error and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments({
      exports: core,
      instances: { GatewayError: () => new core.GatewayError({ message: 'x' }) },
    });
    expect(findings).toEqual([]);
  }, 120_000);
});
