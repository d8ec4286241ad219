import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { CRASHY } from './helpers';

// The MCP Registry v0.1 reads the dev gateway serves (anonymous, as the official registry's): only servers with an MCP
// endpoint are listed (synthetic ones have none), each with its /mcp/<server> remote.
let gateway: DevGateway;
beforeAll(async () => {
  gateway = await startDevGateway({
    config: {
      apiKey: 'k-123456',
      syntheticServers: 2,
      servers: [{ name: 'crashy', command: process.execPath, args: [CRASHY] }],
    },
  });
}, 60_000);
afterAll(() => gateway?.close());

const get = (path: string) => fetch(`${gateway.url}${path}`);

describe('registry catalog (v0.1)', () => {
  it('lists the MCP servers, without the API key; one by name and version; 404 and 400 where due', async () => {
    const page = (await (await get('/v0.1/servers')).json()) as { servers: unknown[]; metadata: unknown };
    expect(page).toEqual({
      servers: [
        {
          server: {
            name: 'dev.sark/crashy',
            description: 'crashy, behind the SARK dev gateway',
            version: '1.0.0',
            remotes: [{ type: 'streamable-http', url: `${gateway.url}/mcp/crashy` }],
          },
          _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active', isLatest: true } },
        },
      ],
      metadata: { count: 1 },
    });
    expect((await get('/v0.1/servers/dev.sark%2Fcrashy/versions/latest')).status).toBe(200);
    expect((await get('/v0.1/servers/dev.sark%2Fcrashy/versions/9.9.9')).status).toBe(404);
    expect((await get('/v0.1/servers/dev.sark%2Fsynthetic-00000/versions/latest')).status).toBe(404);
    expect((await get('/v0.1/servers?limit=0')).status).toBe(400);
    expect((await get('/v0.1/servers?search=nothing-like-it')).status).toBe(200);
  });
});
