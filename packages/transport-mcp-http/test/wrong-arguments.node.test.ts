import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mcpHttp from '@sark/transport-mcp-http';
import { RemoteServer } from '@sark/transport-mcp-http';
import { startEverythingHttp } from '@sark/test-support/everything-http.mjs';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

let everything: Awaited<ReturnType<typeof startEverythingHttp>>;
beforeAll(async () => {
  everything = await startEverythingHttp();
}, 30_000);
afterAll(() => everything?.stop());

describe('wrong arguments', () => {
  it('a token that is not a function: the error says what it must be, not [REDACTED]', async () => {
    const error = await RemoteServer.connect({ url: everything.url, token: 'abc' as never }).catch((e: unknown) => e);
    expect(String(error)).toContain('token: must be a function returning the bearer token');
  });

  it('every export, constructor and method fails at once with a typed error and leaves nothing behind', async () => {
    const findings = await walkWithWrongArguments(
      {
        exports: mcpHttp,
        // server-everything over Streamable HTTP answers whatever the methods send.
        instances: { RemoteServer: () => RemoteServer.connect({ url: everything.url, requestTimeoutMs: 1000 }) },
      },
      20,
    );
    expect(findings).toEqual([]);
  }, 120_000);
});
