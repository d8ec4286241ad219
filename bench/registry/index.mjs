// bench/registry: invokeTool in the 'mcp-gateway-registry' dialect — the full GatewayClient (error handling on, MCP
// tools/call on /{path}/mcp with X-Authorization) — vs the official SDK's Client calling the same endpoint, against
// the dev gateway's registry mode in front of server-everything (stdio). Same gateway, same server, same run.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startDevGateway } from '@sark/dev-gateway';
import { GatewayClient } from '@sark/gateway';
import { compare, report } from '../lib/measure.mjs';

const require = createRequire(import.meta.url);
const CALLS = 200;
const KEY = 'bench-registry-key';
const ROW = `${CALLS} sequential invokeTool echo calls`;

function everything() {
  const manifestPath = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const manifest = require(manifestPath);
  return [join(dirname(manifestPath), Object.values(manifest.bin)[0]), 'stdio'];
}

async function sequential(total, call) {
  for (let i = 0; i < total; i++) await call();
}

export async function run() {
  const gateway = await startDevGateway({
    config: {
      apiKey: KEY,
      dialect: 'mcp-gateway-registry',
      servers: [{ name: 'everything', command: process.execPath, args: everything() }],
    },
  });
  const client = new GatewayClient({ gatewayUrl: gateway.url, apiKey: KEY, dialect: 'mcp-gateway-registry' });
  const sdk = new Client({ name: 'bench', version: '1.0.0' });
  const headers = { 'x-authorization': `Bearer ${KEY}` };
  await sdk.connect(
    new StreamableHTTPClientTransport(new URL(`${gateway.url}/everything/mcp`), { requestInit: { headers } }),
  );
  const parameters = { message: 'hello' };
  const results = [
    await compare(ROW, {
      ours: () =>
        sequential(CALLS, () => client.invokeTool({ serverName: '/everything', toolName: 'echo', parameters })),
      baseline: () => sequential(CALLS, () => sdk.callTool({ name: 'echo', arguments: parameters })),
      iterations: 1,
      rounds: 7,
    }),
  ];
  await client.close();
  await sdk.close();
  await gateway.close();
  for (const r of results) {
    r.oursCallsPerSecond = Math.round((CALLS * 1e9) / r.oursNsPerOp);
    r.baselineCallsPerSecond = Math.round((CALLS * 1e9) / r.baselineNsPerOp);
    console.log(`${r.name}: ours ${r.oursCallsPerSecond} calls/s, SDK ${r.baselineCallsPerSecond} calls/s`);
  }
  console.log(`node ${process.version}; ratio < 1 means ours is faster (target: at least as fast, ratio ≤ 1.0)`);
  report('bench/registry', results, { [ROW]: '≤ 1.00' });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
