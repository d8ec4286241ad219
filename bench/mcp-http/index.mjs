// bench/mcp-http: tools/call echo round trips over MCP Streamable HTTP against server-everything (the official SDK's
// server transport), ours (RemoteServer) vs the official SDK client (Client + StreamableHTTPClientTransport), same
// server, same run.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startEverythingHttp } from '@sark/test-support/everything-http.mjs';
import { RemoteServer } from '@sark/transport-mcp-http';
import { compare, report } from '../lib/measure.mjs';

const CALLS = 300;

async function sequential(total, call) {
  for (let i = 0; i < total; i++) await call();
}

export async function run() {
  const server = await startEverythingHttp();
  const ours = await RemoteServer.connect({ url: server.url });
  const sdk = new Client({ name: 'bench', version: '1.0.0' });
  await sdk.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  const args = { message: 'hello' };
  const results = [
    await compare(`${CALLS} sequential echo calls`, {
      ours: () => sequential(CALLS, () => ours.callTool('echo', args)),
      baseline: () => sequential(CALLS, () => sdk.callTool({ name: 'echo', arguments: args })),
      iterations: 1,
      rounds: 7,
    }),
  ];
  await ours.close();
  await sdk.close();
  await server.stop();
  for (const r of results) {
    r.oursCallsPerSecond = Math.round((CALLS * 1e9) / r.oursNsPerOp);
    r.baselineCallsPerSecond = Math.round((CALLS * 1e9) / r.baselineNsPerOp);
    console.log(`${r.name}: ours ${r.oursCallsPerSecond} calls/s, SDK ${r.baselineCallsPerSecond} calls/s`);
  }
  console.log(`node ${process.version}; ratio < 1 means ours is faster (target: at least as fast, ratio ≤ 1.0)`);
  report('bench/mcp-http', results, { [`${CALLS} sequential echo calls`]: '≤ 1.00' });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
