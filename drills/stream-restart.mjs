// Drill: the dev gateway is killed and started again (same port, same event log) in the middle of 10 000 events.
// The stream must resume with Last-Event-ID: every event once, in order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevGateway } from '@sark/dev-gateway';
import { GatewayClient } from '@sark/gateway';
import { leakedSince, report, resources, settle } from './lib/harness.mjs';

const TOTAL = 10_000;

export async function streamRestartDrill() {
  const dir = mkdtempSync(join(tmpdir(), 'sark-drill-'));
  const config = {
    syntheticServers: 1,
    eventLogFile: join(dir, 'events.jsonl'),
    eventBufferSize: TOTAL,
    sseRetryMs: 50,
  };
  const baseline = resources();
  let gateway = await startDevGateway({ config });
  const port = Number(new URL(gateway.url).port);
  const client = new GatewayClient({ gatewayUrl: gateway.url });
  const received = [];
  const started = performance.now();
  let restarts = 0;
  let reconnections = 0;
  try {
    const consuming = (async () => {
      for await (const event of client.streamEvents({ eventTypes: ['drill'] })) {
        received.push(event.json().n);
        if (received.length === TOTAL) break;
      }
    })();
    await settle(() => client.getMetrics().sse?.connectionsMade === 1, 5_000); // subscribed before the first event
    for (let n = 0; n < TOTAL; n++) {
      if (n === TOTAL / 2) {
        // Killed mid-stream: every connection is cut; a new gateway comes up on the same port with the same log.
        await gateway.close();
        gateway = await startDevGateway({ config, port });
        restarts++;
      }
      gateway.emit('drill', { n });
      if (n % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const done = await settle(() => received.length >= TOTAL, 30_000);
    if (!done) await client.close();
    await consuming.catch(() => undefined);
    reconnections = client.getMetrics().sse?.reconnections ?? 0;
  } finally {
    await client.close();
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const distinct = new Set(received).size;
  return report(
    `drill: the dev gateway killed and restarted mid-stream over ${TOTAL} events`,
    {
      sent: TOTAL,
      succeeded: distinct,
      failedTyped: 0,
      lost: TOTAL - distinct,
      duplicated: received.length - distinct,
      leaked: await leakedSince(baseline),
      ms: performance.now() - started,
      note: `${restarts} restart, ${reconnections} reconnection(s), resumed from Last-Event-ID`,
    },
    [
      ['events arrived in order', received.every((n, i) => n === i)],
      ['the stream really was cut and reconnected', reconnections >= 1],
    ],
  );
}
