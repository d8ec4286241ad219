// bench/resilience: what our policies cost around a call, side by side with cockatiel's.
import { CircuitBreaker, ErrorHandler, RetryPolicy, wrap } from '@sark/resilience';
import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  retry,
  timeout,
  wrap as cockatielWrap,
} from 'cockatiel';
import { Pool } from 'undici';
import { startJsonServer } from '../lib/json-server.mjs';
import { compare, report } from '../lib/measure.mjs';

export async function run() {
  // The same three layers with the same settings: breaker (5 consecutive failures, 30 s), 3 attempts with exponential
  // backoff, a 30 s deadline per attempt that rejects at the deadline (cockatiel's Aggressive strategy).
  const handler = new ErrorHandler();
  const cockatiel = cockatielWrap(
    retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
    circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
    timeout(30_000, TimeoutStrategy.Aggressive),
  );
  const resolved = () => Promise.resolve(1);
  const results = [
    await compare('ErrorHandler vs cockatiel, resolved promise', {
      ours: () => handler.execute(resolved),
      baseline: () => cockatiel.execute(resolved),
      iterations: 20_000,
    }),
    await compare('ErrorHandler vs a bare resolved promise', {
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
  // As GatewayClient uses it: breaker + retry here, the deadline enforced by the HTTP transport itself.
  const clientLayers = wrap(new CircuitBreaker(), new RetryPolicy());
  results.push(
    await compare('ErrorHandler around a loopback HTTP GET', {
      ours: () => handler.execute(({ signal }) => get(signal)),
      baseline: () => get(),
      iterations: 500,
    }),
    await compare('wrap(breaker, retry) around a GET', {
      ours: () => clientLayers.execute(() => get()),
      baseline: () => get(),
      iterations: 500,
    }),
    // The same request given its own AbortSignal: separates our overhead from what a signal costs undici itself
    // (large on Node 20, small on Node 24).
    await compare('ErrorHandler around a GET vs GET with a signal', {
      ours: () => handler.execute(({ signal }) => get(signal)),
      baseline: () => get(new AbortController().signal),
      iterations: 500,
    }),
  );
  await pool.close();
  await server.close();
  handler.close();
  console.log(`node ${process.version}`);
  report('bench/resilience', results, {
    'ErrorHandler vs cockatiel, resolved promise': '≤ 0.50',
    'wrap(breaker, retry) around a GET': '≤ 1.03',
  });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
