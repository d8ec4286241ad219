// bench/resilience: what ErrorHandler.execute (breaker → retry → per-attempt timeout) costs around a call.
import { ErrorHandler } from '@sark/resilience';
import { Pool } from 'undici';
import { startJsonServer } from '../lib/json-server.mjs';
import { compare, report } from '../lib/measure.mjs';

export async function run() {
  const handler = new ErrorHandler();
  const resolved = () => Promise.resolve(1);
  const results = [
    await compare('execute around a resolved promise', {
      ours: () => handler.execute(resolved),
      baseline: resolved,
      iterations: 20_000,
    }),
  ];

  const server = await startJsonServer();
  const pool = new Pool(server.url, { connections: 1 });
  const get = async (signal) => {
    const { body } = await pool.request({ method: 'GET', path: '/api/v1/servers', ...(signal ? { signal } : {}) });
    return body.json();
  };
  results.push(
    await compare('execute around a loopback HTTP GET', {
      ours: () => handler.execute((signal) => get(signal)),
      baseline: () => get(),
      iterations: 500,
    }),
    // As GatewayClient uses it: breaker + retry here, the deadline enforced by the HTTP transport itself.
    await compare('execute (deadline left to the operation) around a GET', {
      ours: () => handler.execute(() => get(), { timeoutMs: Number.POSITIVE_INFINITY }),
      baseline: () => get(),
      iterations: 500,
    }),
    // The same request given its own AbortSignal: separates our overhead from what a signal costs undici itself
    // (large on Node 20, small on Node 24).
    await compare('execute around a GET vs GET with a signal', {
      ours: () => handler.execute((signal) => get(signal)),
      baseline: () => get(new AbortController().signal),
      iterations: 500,
    }),
  );
  await pool.close();
  await server.close();
  handler.close();
  console.log(`node ${process.version}`);
  report('bench/resilience', results, { 'execute around a loopback HTTP GET': '≤ 1.03', 'execute (deadline left to the operation) around a GET': '≤ 1.03' });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
