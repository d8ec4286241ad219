// bench/opa: an OPA decision round trip through OPAClient vs a raw undici POST to the same stand-in, and a decision
// cache hit vs a miss.
import { OPAClient, buildInvocationInput } from '@sark/opa';
import { Pool } from 'undici';
import { startJsonServer } from '../lib/json-server.mjs';
import { compare, report } from '../lib/measure.mjs';

export async function run() {
  const server = await startJsonServer({
    decision_id: '4ca636c1-55e4-417a-b1d8-4aceb67960d1',
    result: { allow: true, reason: 'Allowed' },
  });
  const client = new OPAClient({ opaUrl: server.url });
  const cached = new OPAClient({ opaUrl: server.url, decisionCache: true });
  const pool = new Pool(server.url, { connections: 16, pipelining: 1 });
  const input = buildInvocationInput({
    serverName: 'postgres-mcp',
    toolName: 'execute_query',
    parameters: { query: 'SELECT 1' },
  });
  const raw = async () => {
    const { body } = await pool.request({
      method: 'POST',
      path: '/v1/data/mcp/gateway',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ input }),
    });
    return body.json();
  };
  await cached.evaluate(input);
  const results = [
    await compare('decision round trip vs raw undici POST', {
      ours: () => client.evaluate(input),
      baseline: raw,
      iterations: 500,
    }),
    await compare('decision cache hit vs miss', {
      ours: () => cached.evaluate(input),
      baseline: () => client.evaluate(input),
      iterations: 500,
    }),
  ];
  await Promise.all([client.close(), cached.close(), pool.close()]);
  await server.close();
  console.log(`node ${process.version}`);
  report('bench/opa', results, { 'decision round trip vs raw undici POST': '≤ 1.05' });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
