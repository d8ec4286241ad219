// Type-checked with module/moduleResolution node16 and bundler: a Node app sees the whole API, LocalServer included.
import { GatewayClient, LocalServer, type InvokeResult, type ServerInfo } from '@sark/gateway';

const client = new GatewayClient({ gatewayUrl: 'http://127.0.0.1:8080' });
const servers: readonly ServerInfo[] = await client.listServers();
const result: InvokeResult = await client.invokeTool({ serverName: 's', toolName: 't', parameters: {} });
const local: LocalServer = await client.connectLocalServer({ command: 'node', args: ['server.js'] });
console.log(servers, result, local.getMetrics());
