// bench/http: @sark/transport-http against raw undici on the same loopback server, in one run.
import { HttpTransport } from '@sark/transport-http';
import { Pool } from 'undici';
import { startJsonServer } from '../lib/json-server.mjs';
import { compare, report } from '../lib/measure.mjs';

async function concurrently(total, width, call) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next++ < total) await call();
    }),
  );
}

export async function run() {
  const server = await startJsonServer();
  const transport = new HttpTransport({ gatewayUrl: server.url, apiKey: 'bench-key', maxConnections: 50 });
  const uncached = new HttpTransport({
    gatewayUrl: server.url,
    apiKey: 'bench-key',
    maxConnections: 50,
    cache: { enabled: false },
  });
  const pool = new Pool(server.url, { connections: 50, pipelining: 1 });
  const rawInvoke = async () => {
    const body = JSON.stringify({ server: 'everything', tool: 'echo', parameters: { message: 'hi' } });
    const { body: response } = await pool.request({
      method: 'POST',
      path: '/api/v1/invoke',
      // the same bytes on the wire as ours (User-Agent included): the ratio is the client's overhead alone
      headers: {
        accept: 'application/json',
        'user-agent': 'sark-gateway-js/0.1.0',
        'x-api-key': 'bench-key',
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
      },
      body,
    });
    return response.json();
  };
  const ourInvoke = () =>
    transport.invoke({ serverName: 'everything', toolName: 'echo', parameters: { message: 'hi' } });

  const results = [
    await compare('sequential invoke (median latency)', { ours: ourInvoke, baseline: rawInvoke, iterations: 500 }),
    await compare('50-way concurrent invoke (2 000 calls)', {
      ours: () => concurrently(2000, 50, ourInvoke),
      baseline: () => concurrently(2000, 50, rawInvoke),
      iterations: 1,
      rounds: 9,
    }),
    await compare('listServers: cached vs uncached', {
      ours: () => transport.listServers(),
      baseline: () => uncached.listServers(),
      iterations: 500,
    }),
  ];
  const concurrentPaging = new HttpTransport({ gatewayUrl: server.url, cache: { enabled: false } });
  const sequentialPaging = new HttpTransport({ gatewayUrl: `${server.url}/nototal`, cache: { enabled: false } });
  results.push(
    await compare('listAllServers 10 000: concurrent vs sequential paging', {
      ours: () => concurrentPaging.listAllServers({ pageSize: 1000 }),
      baseline: () => sequentialPaging.listAllServers({ pageSize: 1000 }),
      iterations: 1,
      rounds: 9,
    }),
  );
  await Promise.all([
    transport.close(),
    uncached.close(),
    concurrentPaging.close(),
    sequentialPaging.close(),
    pool.close(),
  ]);
  await server.close();
  console.log(`node ${process.version}; the 50-way row compares time for 2 000 calls, so throughput ratio = 1 ÷ ratio`);
  report('bench/http', results, {
    'sequential invoke (median latency)': '≤ 1.10',
    '50-way concurrent invoke (2 000 calls)': '≤ 1.11 (throughput ≥ 0.90)',
  });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
