// An aggregating MCP gateway (Docker MCP Gateway, Envoy AI Gateway, agentgateway): one MCP endpoint serving every
// backend's tools as <server>__<tool> (dialect 'mcp'). Against the dev gateway's /mcp, or SARK_MCP_GATEWAY_URL (with
// SARK_MCP_GATEWAY_TOKEN as its bearer token).
import { GatewayClient, bearerToken } from '@sark/gateway';
import { DEMO_API_KEY, startDemoGateway } from './dev-setup';

const given = process.env['SARK_MCP_GATEWAY_URL'];
const gateway = given ? null : await startDemoGateway();
try {
  const token = process.env['SARK_MCP_GATEWAY_TOKEN'];
  await using client = new GatewayClient({
    gatewayUrl: given ?? `${gateway?.url}/mcp`,
    dialect: 'mcp',
    ...(given ? { auth: token ? bearerToken(token) : undefined } : { apiKey: DEMO_API_KEY }),
  });

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
} finally {
  await gateway?.dispose();
}
