// Drill: 10 000 concurrent invocations, and close() when half of them have settled. Every call settles — a success
// or ClientClosedError — at once, and nothing is left behind.
import { ClientClosedError } from '@sark/core';
import { startDevGateway } from '@sark/dev-gateway';
import { GatewayClient } from '@sark/gateway';
import { leakedSince, report, resources, settle } from './lib/harness.mjs';

const TOTAL = 10_000;

export async function closeHalfwayDrill() {
  const baseline = resources();
  const gateway = await startDevGateway({ config: { syntheticServers: 1 } });
  const client = new GatewayClient({ gatewayUrl: gateway.url, maxConnections: 50 });
  const started = performance.now();
  let succeeded = 0;
  let closed = 0;
  const other = [];
  let settledAll;
  let settleMs;
  try {
    for (let i = 0; i < TOTAL; i++) {
      client.invokeTool({ serverName: 'synthetic-00000', toolName: 'tool_0', parameters: { i } }).then(
        () => succeeded++,
        (error) => (error instanceof ClientClosedError ? closed++ : other.push(error)),
      );
    }
    await settle(() => succeeded + closed + other.length >= TOTAL / 2, 60_000);
    const closing = performance.now();
    await client.close();
    settledAll = await settle(() => succeeded + closed + other.length === TOTAL, 2_000);
    settleMs = performance.now() - closing;
  } finally {
    await client.close();
    await gateway.close();
  }
  const executed = gateway.executed.get('synthetic-00000/tool_0') ?? 0;
  return report(
    `drill: ${TOTAL} concurrent invocations, close() halfway`,
    {
      sent: TOTAL,
      succeeded,
      failedTyped: closed,
      lost: TOTAL - succeeded - closed - other.length,
      duplicated: Math.max(0, executed - TOTAL),
      leaked: await leakedSince(baseline),
      ms: performance.now() - started,
      note: `close() settled the rest in ${settleMs.toFixed(0)} ms; ${executed} executions`,
    },
    [
      ['every call settled (success or ClientClosedError)', settledAll && other.length === 0],
      ['nothing executed twice', executed <= TOTAL],
    ],
  );
}
