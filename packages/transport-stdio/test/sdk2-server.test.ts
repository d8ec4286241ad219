import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalServer } from '@sark/transport-stdio';

// Over stdio against the official MCP TypeScript SDK v2's server (@modelcontextprotocol/server 2.4.0), which speaks
// revision 2026-07-28: server/discover instead of initialize, per-request _meta, multi-round-trip elicitation.
const fixture = createRequire(import.meta.url).resolve('@sark/test-support/sdk2-server.mjs');
const open: LocalServer[] = [];
afterAll(() => Promise.all(open.splice(0).map((server) => server.stop())));

describe('LocalServer against the official SDK v2 server over stdio (2026-07-28)', () => {
  it('discovers, lists and calls; a multi-round-trip confirmation goes through the elicitation handler', async () => {
    const asked: string[] = [];
    const server = await LocalServer.start({
      command: process.execPath,
      args: [fixture, 'stdio'],
      handshakeTimeoutMs: 20_000,
      elicitation: async ({ message }) => (asked.push(message), { action: 'accept', content: { confirm: true } }),
    });
    open.push(server);
    expect(server.protocolVersion).toBe('2026-07-28');
    expect(server.serverInfo).toMatchObject({ name: 'sdk2-fixture' });
    expect(server.instructions).toBe('A 2026-07-28 server.');
    expect((await server.listTools()).map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['echo', 'deploy', 'locate']),
    );
    expect((await server.callTool('echo', { message: 'piped' })).content).toEqual([
      { type: 'text', text: 'Echo: piped' },
    ]);
    expect((await server.callTool('deploy', { env: 'dev' })).content).toEqual([
      { type: 'text', text: 'deployed to dev' },
    ]);
    expect(asked).toEqual(['Deploy to dev?']);
  });
});
