// An aggregating MCP gateway (Docker MCP Gateway, Envoy AI Gateway, agentgateway): one MCP endpoint serving every
// backend's tools as <server>__<tool> (dialect 'mcp'). Against the dev gateway's aggregated endpoint, /mcp (of
// SARK_GATEWAY_URL when given). For a gateway of your own: gatewayUrl its MCP endpoint, auth: bearerToken(token).
import { GatewayClient } from '@sark/gateway';
import { runAgainstGateway } from './dev-setup';

await runAgainstGateway(async (gatewayUrl, apiKey) => {
  await using client = new GatewayClient({ gatewayUrl: `${gatewayUrl}/mcp`, apiKey, dialect: 'mcp' });

  const servers = await client.listAllServers();
  console.log(
    `servers (from tool-name prefixes): ${servers.map((s) => `${s.serverName} (${s.toolsCount})`).join(', ')}`,
  );
  const tools = await client.listAllTools({ serverName: 'memory' });
  console.log(`tools of memory: ${tools.map((t) => t.toolName).join(', ')}`);
  const echo = await client.invokeTool({
    serverName: 'everything',
    toolName: 'echo',
    parameters: { message: 'one endpoint' },
  });
  console.log(`everything__echo → ${JSON.stringify(echo)}`);
  const health = await client.healthCheck();
  console.log(`health: ${health.status} (MCP ping ${health.http?.latencyMs} ms)`);
});
