// A gateway teams deploy: the MCP Gateway Registry (dialect 'mcp-gateway-registry'). Its REST catalog under /api/*
// lists servers and tools; tools are called over MCP at /{path}/mcp, the registry's OAuth token in X-Authorization.
// Against the dev gateway in registry mode (with its authorization server), or SARK_REGISTRY_URL.
import { GatewayClient, RegistryCatalog, localPolicy } from '@sark/gateway';
import { OAuthClient, headlessDriver } from '@sark/oauth';
import { demoPolicy } from './demo-policy';
import { startDemoGateway } from './dev-setup';

const given = process.env['SARK_REGISTRY_URL'];
const gateway = given ? null : await startDemoGateway({ dialect: 'mcp-gateway-registry', oauth: true });
const registryUrl = given ?? (gateway?.url as string);
try {
  // The dev gateway's authorization server approves every sign-in; a command-line tool would use loopbackDriver().
  const driver = headlessDriver();
  await using client = new GatewayClient({
    gatewayUrl: registryUrl,
    dialect: 'auto', // asks the public /health and /api/version once
    auth: new OAuthClient({ redirectUri: driver.redirectUri, authorize: driver.authorize }),
    // The registry vouches for the signed-in user; this demo's policy treats them as an analyst.
    opaClient: localPolicy((input) => demoPolicy({ ...input, user: { id: 'developer', roles: ['analyst'] } })),
  });

  const servers = await client.listAllServers();
  console.log(
    `dialect: ${client.dialect}; servers: ${servers.map((s) => `${s.serverId} (${s.toolsCount} tools)`).join(', ')}`,
  );
  const me = await client.whoami();
  console.log(`signed in as ${me.username} (${me.authMethod}), scopes: ${me.scopes.join(' ')}`);

  const tools = await client.listAllTools({ serverName: '/everything' });
  console.log(`tools of /everything: ${tools.map((t) => t.toolName).join(', ')}`);
  const sum = await client.invokeTool({ serverName: '/everything', toolName: 'get-sum', parameters: { a: 2, b: 3 } });
  console.log(`get-sum → ${JSON.stringify(sum)}`);
  await client.invokeTool({ serverName: '/everything', toolName: 'get-env' }).catch((error: Error) => {
    console.log(`get-env → ${error.name}: ${error.message}`);
  });

  // The same servers in the registry's copy of the official MCP Registry API (v0.1).
  const catalog = new RegistryCatalog({ url: registryUrl });
  const entries = (await catalog.listServers()).servers.map((entry) => `${entry.name} → ${entry.remotes[0]?.url}`);
  console.log(`v0.1 catalog: ${entries.join(', ')}`);
} finally {
  await gateway?.dispose();
}
