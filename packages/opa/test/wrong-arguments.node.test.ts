import { describe, expect, it } from 'vitest';
import * as opa from '@sark/opa';
import { DecisionCache, OPAClient } from '@sark/opa';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

describe('wrong arguments', () => {
  it('every export, constructor and method fails at once with a typed error and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments({
      exports: opa,
      instances: {
        // Port 9 on loopback refuses at once: a call that gets as far as the network fails fast and typed.
        OPAClient: () => new OPAClient({ opaUrl: 'http://127.0.0.1:9', timeoutMs: 1000 }),
        DecisionCache: () => new DecisionCache(),
      },
    });
    expect(findings).toEqual([]);
  }, 120_000);
});
