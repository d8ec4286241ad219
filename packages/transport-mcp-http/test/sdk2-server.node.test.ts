import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteServer } from '@sark/transport-mcp-http';
import { startSdk2Http } from '@sark/test-support/sdk2-server.mjs';

// Against the official MCP TypeScript SDK v2's server (@modelcontextprotocol/server 2.4.0), which speaks revision
// 2026-07-28 only: server/discover, per-request _meta, multi-round-trip elicitation, x-mcp-header mirroring.
let sdk2: Awaited<ReturnType<typeof startSdk2Http>>;
beforeAll(async () => {
  sdk2 = await startSdk2Http();
}, 30_000);
afterAll(() => sdk2?.close());

describe('RemoteServer against the official SDK v2 server (2026-07-28)', () => {
  it('discovers, lists, calls; a multi-round-trip confirmation goes through the elicitation handler', async () => {
    const asked: string[] = [];
    const server = await RemoteServer.connect({
      url: sdk2.url,
      elicitation: async ({ message }) => (asked.push(message), { action: 'accept', content: { confirm: true } }),
    });
    try {
      expect(server.protocolVersion).toBe('2026-07-28');
      expect(server.serverInfo).toMatchObject({ name: 'sdk2-fixture' });
      expect(server.sessionId).toBeNull();
      const names = (await server.listTools()).map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['echo', 'deploy', 'locate']));
      expect((await server.callTool('echo', { message: 'v2' })).content).toEqual([{ type: 'text', text: 'Echo: v2' }]);
      expect((await server.callTool('deploy', { env: 'staging' })).content).toEqual([
        { type: 'text', text: 'deployed to staging' },
      ]);
      expect(asked).toEqual(['Deploy to staging?']);
      expect((await server.callTool('locate', { region: 'eu-west1' })).content).toEqual([
        { type: 'text', text: 'region eu-west1' },
      ]);
    } finally {
      await server.close();
    }
  });

  it('a declined confirmation: the server asks again, and the rounds are bounded', async () => {
    let asked = 0;
    const server = await RemoteServer.connect({
      url: sdk2.url,
      elicitation: async () => (asked++, { action: 'decline' }),
    });
    try {
      await expect(server.callTool('deploy', { env: 'prod' })).rejects.toThrow();
      expect(asked).toBeGreaterThanOrEqual(1);
      expect(asked).toBeLessThanOrEqual(8);
    } finally {
      await server.close();
    }
  });

  it('URL-mode elicitation: the handler sees the page the server asks the user to open', async () => {
    const pages: (string | undefined)[] = [];
    const withHandler = await RemoteServer.connect({
      url: sdk2.url,
      elicitation: async (params) => (pages.push(params.mode === 'url' ? params.url : 'form?'), { action: 'accept' }),
    });
    try {
      expect((await withHandler.callTool('consent')).content).toEqual([{ type: 'text', text: 'consented' }]);
      expect(pages).toEqual(['https://consent.example/authorize?session=s-42&token=secret-abcdef123456']);
    } finally {
      await withHandler.close();
    }
  });
});
