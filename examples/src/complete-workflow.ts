// Usage guide example 1 — the complete workflow: discover, inspect, invoke, check health, read metrics.
import { GatewayClient } from '@sark/gateway';
import { runAgainstGateway } from './dev-setup';

await runAgainstGateway(async (gatewayUrl, apiKey) => {
  await using client = new GatewayClient({ gatewayUrl, apiKey });

  const servers = await client.listAllServers();
  console.log(
    `servers: ${servers.map((s) => `${s.serverName} (${s.healthStatus}, ${s.toolsCount} tools)`).join(', ')}`,
  );

  const info = await client.getServerInfo('everything');
  console.log(`everything: ${info.serverUrl}, sensitivity ${info.sensitivityLevel}`);

  const tools = await client.listTools({ serverName: 'everything' });
  console.log(`tools of everything: ${tools.map((t) => t.toolName).join(', ')}`);

  const result = await client.invokeTool({ serverName: 'everything', toolName: 'get-sum', parameters: { a: 2, b: 3 } });
  console.log(`get-sum → ${JSON.stringify(result)}`);

  const health = await client.healthCheck();
  console.log(`health: ${health.status} (gateway ${health.http?.status} in ${health.http?.latencyMs} ms)`);
  console.log(`requests sent: ${client.getMetrics().http?.requests}`);
});
