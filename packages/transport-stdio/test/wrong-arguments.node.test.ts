import { describe, expect, it } from 'vitest';
import * as stdio from '@sark/transport-stdio';
import { LocalServer, LocalServerManager, StdioTransport } from '@sark/transport-stdio';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';
import { scripted } from './helpers';

describe('wrong arguments', () => {
  it('every export, constructor and method fails at once with a typed error and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments(
      {
        exports: stdio,
        skip: {
          'new LocalServer': 'private constructor: LocalServer.start makes them',
          'new StdioTransport': 'private constructor: StdioTransport.start makes them',
        },
        instances: {
          // Real child processes: the scripted JSON-RPC server answers whatever the methods send.
          LocalServer: () => LocalServer.start({ ...scripted(), requestTimeoutMs: 1000 }),
          LocalServerManager: () => new LocalServerManager(),
          StdioTransport: () => StdioTransport.start({ ...scripted(), requestTimeoutMs: 1000 }),
        },
      },
      20,
    );
    expect(findings).toEqual([]);
  }, 120_000);
});
