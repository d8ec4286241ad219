import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayConfigError, GatewayHttpError, TransportNotAvailableError } from '@sark/core';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { GatewayClient, localPolicy, type GatewayClientOptions } from '@sark/gateway';
import { API_KEY, everythingArgs, served } from './helpers';

// The 'mcp' dialect: one aggregated MCP endpoint (the dev gateway's /mcp, every server's tools as <server>__<tool>,
// paged ten at a time) in front of two real MCP servers.
let gateway: DevGateway;
beforeAll(async () => {
  gateway = await startDevGateway({
    config: {
      apiKey: API_KEY,
      syntheticServers: 2,
      servers: [
        { name: 'everything', command: process.execPath, args: everythingArgs() },
        { name: 'second', command: process.execPath, args: everythingArgs() },
      ],
    },
  });
}, 60_000);
afterAll(() => gateway?.close());

const clients: GatewayClient[] = [];
function client(options: Partial<GatewayClientOptions> = {}): GatewayClient {
  const made = new GatewayClient({
    gatewayUrl: `${gateway.url}/mcp`,
    apiKey: API_KEY,
    dialect: 'mcp',
    retry: { initialDelayMs: 10, jitter: false },
    ...options,
  });
  clients.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((made) => made.close()));
});

describe("dialect 'mcp': one aggregated MCP endpoint", () => {
  it('servers are the tool-name prefixes of every tools/list page; tools keep their own names', async () => {
    const c = client();
    const servers = await c.listAllServers();
    expect(servers.map((server) => [server.serverName, server.toolsCount])).toEqual([
      ['everything', 13],
      ['second', 13],
    ]);
    const tools = await c.listAllTools({ serverName: 'second' });
    expect(tools).toHaveLength(13);
    expect(tools.find((tool) => tool.toolName === 'echo')?.parameters).toEqual([
      expect.objectContaining({ name: 'message', required: true }),
    ]);
    expect((await c.listTools({ page: 3, pageSize: 10 })).map((tool) => tool.serverName)).toEqual(
      Array(6).fill('second'),
    );
    expect(await c.getServerInfo('second')).toMatchObject({ serverId: 'second', toolsCount: 13 });
    const missing = await c.getServerInfo('nobody').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GatewayHttpError);
    expect((missing as GatewayHttpError).status).toBe(404);
    // 26 tools, ten a page: three tools/list pages, listed once and then served from the cache.
    expect(served(gateway, 'POST /mcp')).toBeGreaterThanOrEqual(3);
  });

  it('invokeTool calls the prefixed tool on its server, under the policy', async () => {
    const asked: unknown[] = [];
    const c = client({
      opaClient: localPolicy((input) => {
        asked.push(input['server_name']);
        return input['tool_name'] === 'echo';
      }),
    });
    const before = gateway.executed.get('second/echo') ?? 0;
    const result = await c.invokeTool({ serverName: 'second', toolName: 'echo', parameters: { message: 'agg' } });
    expect(result).toEqual({ status: 'success', result: { content: [{ type: 'text', text: 'Echo: agg' }] } });
    expect(gateway.executed.get('second/echo')).toBe(before + 1);
    await expect(c.invokeTool({ serverName: 'second', toolName: 'get-sum' })).rejects.toThrow('denied');
    expect(asked).toEqual(['second', 'second']);
  });

  it('a function splits names its own way; an unknown tool is refused before anything is called', async () => {
    const c = client({
      toolNameSeparator: (name) => {
        const [serverName, toolName] = name.split('__');
        return serverName === 'everything' && toolName ? { serverName: 'primary', toolName } : null;
      },
    });
    const servers = (await c.listAllServers()).map((server) => server.serverName);
    // The tools the function leaves alone belong to the gateway itself (its serverInfo name).
    expect(servers).toEqual(['primary', 'sark-dev-gateway']);
    const result = await c.invokeTool({ serverName: 'primary', toolName: 'echo', parameters: { message: 'f' } });
    expect(JSON.stringify(result)).toContain('Echo: f');
    await expect(c.invokeTool({ serverName: 'primary', toolName: 'nope' })).rejects.toBeInstanceOf(GatewayConfigError);
    expect(() => client({ toolNameSeparator: '' })).toThrow(GatewayConfigError);
  });

  it('no event stream, no gateway servers to connect to; health is an MCP ping', async () => {
    const c = client();
    expect(() => c.streamEvents()).toThrow(TransportNotAvailableError);
    await expect(c.connectRemoteServer({ id: 'x', server: 'everything' })).rejects.toBeInstanceOf(GatewayConfigError);
    const health = await c.healthCheck();
    expect(health.http?.status).toBe('healthy');
    const down = client({ gatewayUrl: `${gateway.url}/mcp`, apiKey: 'wrong', enableErrorHandling: false });
    expect((await down.healthCheck()).status).toBe('unhealthy');
  });
});
