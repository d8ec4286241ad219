import { withGatewayClient } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';

/** A health check and a listing, then the client's metrics: what one round trip costs and what it used. */
export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  await withGatewayClient(settings, async (client) => {
    await client.healthCheck();
    await client.listServers();
    output.value(client.getMetrics());
  });
}
