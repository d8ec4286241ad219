import { afterAll, describe, expect, it } from 'vitest';
import { LocalServer } from '@sark/transport-stdio';
import { mcpServerEntry } from './helpers';

// server-everything over stdio (the version pinned here is also the newest on npm), in every revision it offers.
const OFFERED = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];
const open: LocalServer[] = [];
afterAll(() => Promise.all(open.splice(0).map((server) => server.stop())));

describe.concurrent('server-everything over stdio, in every revision it offers', () => {
  it.each(OFFERED)('%s: the handshake agrees on it, tools list and call', async (version) => {
    const server = await LocalServer.start({
      command: process.execPath,
      args: [mcpServerEntry('@modelcontextprotocol/server-everything'), 'stdio'],
      handshakeTimeoutMs: 20_000,
      protocolVersion: version,
    });
    open.push(server);
    expect(server.protocolVersion).toBe(version);
    expect((await server.listTools()).length).toBeGreaterThan(5);
    expect((await server.callTool('echo', { message: version })).content).toEqual([
      { type: 'text', text: `Echo: ${version}` },
    ]);
  });
});
