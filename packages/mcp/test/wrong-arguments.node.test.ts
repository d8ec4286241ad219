import { describe, expect, it } from 'vitest';
import { silentLogger } from '@sark/core';
import * as mcp from '@sark/mcp';
import { JsonRpcPeer } from '@sark/mcp';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

describe('wrong arguments', () => {
  it('every export, constructor and method fails at once with a typed error and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments({
      exports: mcp,
      instances: {
        JsonRpcPeer: () => new JsonRpcPeer(() => undefined, { requestTimeoutMs: 1000, logger: silentLogger }),
      },
    });
    expect(findings).toEqual([]);
  }, 120_000);
});
