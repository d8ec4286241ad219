// Usage guide example 3 — local development with stdio: run an MCP server as a child process and talk to it directly.
import { GatewayClient, TransportMode } from '@sark/gateway';
import { mcpServer } from './dev-setup';

await using client = new GatewayClient({ transportMode: TransportMode.STDIO_ONLY });
const server = await client.connectLocalServer({
  ...mcpServer('@modelcontextprotocol/server-everything', 'stdio'),
  serverId: 'everything-local',
});
console.log(
  `connected to ${server.serverInfo?.name} ${server.serverInfo?.version} (pid ${server.pid}, MCP ` +
    `${server.protocolVersion})`,
);

const tools = await server.listTools();
console.log(`${tools.length} tools: ${tools.map((t) => t.name).join(', ')}`);

const echo = await server.callTool('echo', { message: 'hello over stdio' });
console.log(`echo → ${JSON.stringify(echo.content)}`);

const unknown = await server.callTool('no-such-tool', {});
console.log(`an unknown tool is a result with isError: ${unknown.isError === true}`);

console.log(`health: ${JSON.stringify((await client.healthCheck()).stdio)}`);
await client.disconnectLocalServer('everything-local');
console.log(`stopped; running: ${server.isRunning}`);
