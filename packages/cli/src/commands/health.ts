import { withGatewayClient } from '../clients';
import { start } from '../context';
import { EXIT } from '../exit-codes';
import type { ActionContext } from '../main';

/** The gateway's health (and the policy's): exit 4 when the gateway is unhealthy. */
export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  await withGatewayClient(settings, async (client) => {
    const report = await client.healthCheck();
    if (output.format === 'json' || output.format === 'yaml') output.value(report);
    else {
      output.item({
        status: report.status,
        gateway: report.http ? `${report.http.status} (${report.http.latencyMs} ms)` : 'not checked',
        ...(report.http?.error ? { error: report.http.error } : {}),
        ...(report.opa ? { policy: report.opa.status } : {}),
        breaker: report.errorHandler?.circuitBreaker.state ?? 'off',
      });
    }
    if (report.status === 'unhealthy') process.exitCode = EXIT.unreachable;
  });
}
