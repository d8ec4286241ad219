import { describe, expect, it } from 'vitest';
import * as oauth from '@sark/oauth';
import * as node from '@sark/oauth/node';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

describe('wrong arguments', () => {
  it('every export, constructor and method fails at once with a typed error and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments(
      {
        exports: { ...oauth, ...node },
        instances: {
          OAuthClient: () => new oauth.OAuthClient({ ...oauth.headlessDriver() }),
          MemoryTokenStore: () => new oauth.MemoryTokenStore(),
        },
        skip: {
          loopbackDriver: 'listens on a port: its options are checked in drivers-and-store.node.test.ts',
          'new FileTokenStore': 'writes files: checked in drivers-and-store.node.test.ts',
        },
      },
      20,
    );
    expect(findings).toEqual([]);
  }, 120_000);
});
