// Drills against a gateway that fails: 503s with Retry-After, answers cut mid-body after the tool ran, a gateway that
// hangs. Idempotent operations must all succeed; every invocation must run exactly once (Idempotency-Key replay).
import { startDevGateway } from '@sark/dev-gateway';
import { GatewayClient } from '@sark/gateway';
import { calls, leakedSince, report, resources } from './lib/harness.mjs';

const TOOL = { serverName: 'synthetic-00000', toolName: 'tool_0' };

async function withGateway(faults, clientOptions, run) {
  const baseline = resources();
  const gateway = await startDevGateway({ config: { syntheticServers: 3 } });
  const client = new GatewayClient({ gatewayUrl: gateway.url, cache: { enabled: false }, ...clientOptions });
  gateway.setFaults(faults);
  const started = performance.now();
  let outcome;
  try {
    outcome = await run(client, gateway);
  } finally {
    await client.close();
    await gateway.close();
  }
  const ms = performance.now() - started;
  const executed = gateway.executed.get(`${TOOL.serverName}/${TOOL.toolName}`) ?? 0;
  const requests = [...gateway.requests.entries()]
    .filter(([route]) => route.includes('/api/'))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    ...outcome,
    ms,
    leaked: await leakedSince(baseline),
    executed,
    note: `${requests} requests reached the gateway`,
  };
}

export async function retryAfterDrill() {
  const listings = 200;
  const invocations = 200;
  const r = await withGateway(
    { errorRate: 0.3, errorStatus: 503, retryAfterSeconds: 0 },
    { retry: { maxAttempts: 12, initialDelayMs: 1 } },
    async (client) => {
      const listed = await calls(listings, 10, () => client.listServers());
      const invoked = await calls(invocations, 10, (i) => client.invokeTool({ ...TOOL, parameters: { i } }));
      return { listed, invoked };
    },
  );
  const succeeded = r.listed.succeeded + r.invoked.succeeded;
  return report(
    'drill: 30 % of requests answered 503 with Retry-After: 0',
    {
      sent: listings + invocations,
      succeeded,
      failedTyped: r.listed.errors.length + r.invoked.errors.length,
      lost: r.listed.lost + r.invoked.lost,
      duplicated: r.executed - r.invoked.succeeded,
      leaked: r.leaked,
      ms: r.ms,
      note: r.note,
    },
    [
      ['every idempotent operation succeeded', succeeded === listings + invocations],
      [`every invocation executed exactly once (${r.executed} executions)`, r.executed === invocations],
    ],
  );
}

export async function cutAnswersDrill() {
  const invocations = 300;
  const r = await withGateway(
    { cutAnswerRate: 0.3, resetRate: 0.1 },
    { retry: { maxAttempts: 12, initialDelayMs: 1 } },
    async (client) => calls(invocations, 10, (i) => client.invokeTool({ ...TOOL, parameters: { i } })),
  );
  return report(
    'drill: connections reset mid-body after the tool ran (30 %) and before it (10 %)',
    {
      sent: invocations,
      succeeded: r.succeeded,
      failedTyped: r.errors.length,
      lost: r.lost,
      duplicated: r.executed - r.succeeded,
      leaked: r.leaked,
      ms: r.ms,
      note: r.note,
    },
    [
      ['every invocation succeeded', r.succeeded === invocations],
      [`every invocation executed exactly once (${r.executed} executions)`, r.executed === invocations],
    ],
  );
}

export async function hangingGatewayDrill() {
  const listings = 50;
  // Five calls at a time, the first ten requests hang: each of the first five calls times out twice, then succeeds.
  const r = await withGateway(
    { slowNext: 10, slowNextMs: 10_000 },
    { timeoutMs: 200, retry: { maxAttempts: 4, initialDelayMs: 1 } },
    async (client) => calls(listings, 5, () => client.listServers()),
  );
  return report(
    'drill: a gateway that hangs on 10 requests (10 s each; per-attempt timeout 200 ms)',
    {
      sent: listings,
      succeeded: r.succeeded,
      failedTyped: r.errors.length,
      lost: r.lost,
      duplicated: 0,
      leaked: r.leaked,
      ms: r.ms,
      note: r.note,
    },
    [
      ['every listing succeeded after its timed-out attempts', r.succeeded === listings],
      ['no call waited for a hanging answer (well under 10 s)', r.ms < 8_000],
    ],
  );
}
