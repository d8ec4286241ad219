// Drill: OPA is down. Every invocation is denied (fail closed) and none reaches the gateway.
import { PolicyEvaluationError } from '@sark/core';
import { startDevGateway } from '@sark/dev-gateway';
import { GatewayClient, OPAClient } from '@sark/gateway';
import { calls, leakedSince, report, resources } from './lib/harness.mjs';

export async function opaDownDrill() {
  const baseline = resources();
  const gateway = await startDevGateway({ config: { syntheticServers: 1 } });
  const client = new GatewayClient({
    gatewayUrl: gateway.url,
    opaClient: new OPAClient({ opaUrl: 'http://127.0.0.1:9', timeoutMs: 500 }),
  });
  const started = performance.now();
  let r;
  try {
    r = await calls(200, 20, (i) =>
      client.invokeTool({ serverName: 'synthetic-00000', toolName: 'tool_0', parameters: { i } }),
    );
  } finally {
    await client.close();
    await gateway.close();
  }
  const reached = gateway.requests.get('POST /api/v1/invoke') ?? 0;
  return report(
    'drill: OPA down (connection refused)',
    {
      sent: 200,
      succeeded: r.succeeded,
      failedTyped: r.errors.filter((e) => e instanceof PolicyEvaluationError).length,
      lost: r.lost,
      duplicated: 0,
      leaked: await leakedSince(baseline),
      ms: performance.now() - started,
    },
    [
      [
        'every invocation was denied with PolicyEvaluationError',
        r.errors.length === 200 && r.errors.every((e) => e instanceof PolicyEvaluationError),
      ],
      [`no invocation reached the gateway (${reached})`, reached === 0],
    ],
  );
}
