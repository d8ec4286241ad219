// bench/sse: events per second through SseTransport.stream() vs a bare `eventsource` EventSource on the same loopback
// server and payload, and vs eventsource-parser fed the same bytes in memory; then memory with a slow consumer.
import { createServer } from 'node:http';
import { SseTransport } from '@sark/transport-sse';
import { EventSource } from 'eventsource';
import { createParser } from 'eventsource-parser';
import { compare, report } from '../lib/measure.mjs';
import { drained } from '@sark/test-support/drained.mjs';

const EVENTS = 20_000;
const payload = JSON.stringify({
  tool: 'echo',
  server: 'everything',
  user: 'alice',
  status: 'success',
  duration_ms: 12,
});
const body = Buffer.from(
  Array.from({ length: EVENTS }, (_, i) => `id: ${i}\nevent: tool_invoked\ndata: ${payload}\n\n`).join(''),
);

async function startServer() {
  let slowSent = 0;
  const server = createServer(async (req, res) => {
    if (req.headers['last-event-id'] !== undefined) return res.writeHead(204).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (req.url.startsWith('/slow')) {
      // An endless producer for the slow-consumer measurement; it writes only as fast as the socket takes.
      for (let i = 0; !res.destroyed; i++) {
        slowSent++;
        if (!res.write(`id: ${i}\nevent: tool_invoked\ndata: ${payload}\n\n`)) await drained(res);
      }
      return;
    }
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    slowSent: () => slowSent,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

export async function run() {
  const server = await startServer();
  const transport = new SseTransport({ gatewayUrl: server.url, maxConnections: 100 });
  const ours = async () => {
    let n = 0;
    // like the bare EventSource below, stop at the last event (the stream would otherwise reconnect to get its 204)
    for await (const _event of transport.stream()) if (++n === EVENTS) break;
  };
  const bare = () =>
    new Promise((resolve, reject) => {
      let n = 0;
      const source = new EventSource(`${server.url}/api/v1/events`);
      source.addEventListener('tool_invoked', () => {
        if (++n === EVENTS) {
          source.close();
          resolve();
        }
      });
      source.onerror = (error) => reject(error);
    });
  const inMemory = () => {
    let n = 0;
    const parser = createParser({ onEvent: () => n++ });
    const decoder = new TextDecoder();
    for (let i = 0; i < body.length; i += 65536)
      parser.feed(decoder.decode(body.subarray(i, i + 65536), { stream: true }));
    if (n !== EVENTS) throw new Error(`parser got ${n}`);
    return Promise.resolve();
  };
  const results = [
    await compare(`${EVENTS} events: stream() vs bare EventSource`, { ours, baseline: bare, iterations: 1, rounds: 9 }),
    await compare(`${EVENTS} events: stream() vs eventsource-parser in memory`, {
      ours,
      baseline: inMemory,
      iterations: 1,
      rounds: 9,
    }),
  ];
  for (const r of results) {
    r.oursEventsPerSecond = Math.round((EVENTS * 1e9) / r.oursNsPerOp);
    r.baselineEventsPerSecond = Math.round((EVENTS * 1e9) / r.baselineNsPerOp);
  }

  // Slow consumer: 10 ms per event for 2 s against an endless producer. Memory must not grow with what the server
  // could have sent; the connection is paused instead.
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const slow = transport.stream({ endpoint: '/slow' });
  const started = Date.now();
  let consumed = 0;
  for await (const _event of slow) {
    consumed++;
    await new Promise((r) => setTimeout(r, 10));
    if (Date.now() - started > 2000) break;
  }
  global.gc?.();
  const heapGrowthMiB = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
  await transport.close();
  await server.close();
  console.log(`node ${process.version}`);
  for (const r of results)
    console.log(`${r.name}: ours ${r.oursEventsPerSecond} events/s, baseline ${r.baselineEventsPerSecond} events/s`);
  console.log(
    `slow consumer (10 ms/event, 2 s): consumed ${consumed}, server could send ${server.slowSent()} (socket ` +
      `buffers), heap growth ${heapGrowthMiB.toFixed(1)} MiB`,
  );
  console.log(
    JSON.stringify({
      suite: 'bench/sse',
      name: 'slow consumer',
      consumed,
      serverSent: server.slowSent(),
      heapGrowthMiB,
    }),
  );
  report('bench/sse', results, {
    [`${EVENTS} events: stream() vs bare EventSource`]: '≤ 1.11 (≥ 0.90 of its events/s)',
  });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
