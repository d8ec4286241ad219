import { describe, expect, it } from 'vitest';
import {
  ClientClosedError,
  GatewayConfigError,
  GatewayHttpError,
  TransportMode,
  TransportNotAvailableError,
  type McpProgress,
} from '@sark/gateway';
import { served, useTestGateway } from './helpers';

const setup = useTestGateway();

describe('remote MCP servers over Streamable HTTP, through the dev gateway at /mcp/{server}', () => {
  it('connectRemoteServer({ server }) reaches the gateway’s server with the client’s API key', async () => {
    const client = setup.client();
    const remote = await client.connectRemoteServer({ id: 'remote-everything', server: 'everything' });
    expect(remote.serverInfo?.name).toBe('mcp-servers/everything');
    expect(remote.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(remote.instructions?.length).toBeGreaterThan(100);
    expect((await remote.listTools()).map((tool) => tool.name)).toContain('echo');
    const result = await remote.callTool('echo', { message: 'through the gateway' });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: through the gateway' }]);
    expect(served(setup.gw, 'POST /mcp/everything')).toBeGreaterThanOrEqual(4);

    expect(client.getMetrics().remoteServersCount).toBe(1);
    const health = await client.healthCheck();
    expect(health.remote?.['remote-everything']).toMatchObject({ status: 'connected', responsive: true });
    await expect(client.connectRemoteServer({ id: 'remote-everything', server: 'everything' })).rejects.toBeInstanceOf(
      GatewayConfigError,
    );
    await client.disconnectRemoteServer('remote-everything');
    expect(client.getMetrics().remoteServersCount).toBe(0);
    await expect(remote.listTools()).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('progress comes through the gateway as SSE', async () => {
    const remote = await setup.client().connectRemoteServer({ id: 'progress', server: 'everything' });
    const updates: McpProgress[] = [];
    await remote.callTool(
      'trigger-long-running-operation',
      { duration: 1, steps: 4 },
      { onProgress: (p) => updates.push(p) },
    );
    expect(updates.map((update) => update.progress)).toEqual([1, 2, 3, 4]);
  });

  it('without the API key the gateway refuses; the key never goes to another origin', async () => {
    const client = setup.client({ apiKey: 'wrong-key-000' });
    const error = await client.connectRemoteServer({ id: 'x', server: 'everything' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect((error as GatewayHttpError).status).toBe(401);
    // Same gateway, other origin (localhost vs 127.0.0.1): no X-API-Key is added, so it is refused too.
    const otherOrigin = setup.gw.url.replace('127.0.0.1', 'localhost');
    const keyed = setup.client();
    const refused = await keyed
      .connectRemoteServer({ id: 'y', url: `${otherOrigin}/mcp/everything` })
      .catch((e: unknown) => e);
    expect((refused as GatewayHttpError).status).toBe(401);
  });

  it('only in AUTO and HTTP_ONLY; a bad id or no target is a config error', async () => {
    const stdioOnly = setup.client({ transportMode: TransportMode.STDIO_ONLY });
    await expect(stdioOnly.connectRemoteServer({ id: 'a', server: 'everything' })).rejects.toBeInstanceOf(
      TransportNotAvailableError,
    );
    const client = setup.client({ transportMode: TransportMode.HTTP_ONLY });
    await expect(client.connectRemoteServer({ id: '', server: 'everything' })).rejects.toBeInstanceOf(
      GatewayConfigError,
    );
    await expect(client.connectRemoteServer({ id: 'b' })).rejects.toBeInstanceOf(GatewayConfigError);
    await expect(client.connectRemoteServer({ id: 'c', server: 'synthetic-00001' })).rejects.toMatchObject({
      status: 404,
    });
  });
});
