import { describe, expect, inject, it } from 'vitest';
import { GatewayConfigError } from '@sark/core';
import { RemoteServer, SUPPORTED_PROTOCOL_VERSIONS } from '@sark/transport-mcp-http';

// server-everything (the version pinned here is also the newest on npm) over Streamable HTTP, in every revision it
// offers: its SDK (1.x) speaks every revision up to 2025-11-25, and refuses server/discover.
const OFFERED = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

describe('server-everything over Streamable HTTP, in every revision it offers', () => {
  it.each(OFFERED)('%s: the handshake agrees on it, tools list and call', async (version) => {
    const server = await RemoteServer.connect({ url: inject('everythingHttpUrl'), protocolVersion: version });
    try {
      expect(server.protocolVersion).toBe(version);
      expect((await server.listTools()).length).toBeGreaterThan(5);
      expect((await server.callTool('echo', { message: version })).content).toEqual([
        { type: 'text', text: `Echo: ${version}` },
      ]);
    } finally {
      await server.close();
    }
  });

  it('unpinned: the newest both speak (2025-11-25, after server/discover is refused)', async () => {
    const server = await RemoteServer.connect({ url: inject('everythingHttpUrl') });
    expect(server.protocolVersion).toBe('2025-11-25');
    await server.close();
  });

  it('a revision this client does not speak is a GatewayConfigError naming the ones it does', async () => {
    const error = await RemoteServer.connect({ url: inject('everythingHttpUrl'), protocolVersion: '2023-01-01' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayConfigError);
    expect(String(error)).toContain(SUPPORTED_PROTOCOL_VERSIONS.join(', '));
  });
});
