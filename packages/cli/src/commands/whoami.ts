import { withGatewayClient } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  await withGatewayClient(settings, async (client) => {
    const me = await client.whoami();
    output.item({ ...me });
  });
}
