import { withGatewayClient } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';
import { serverRow } from './servers';

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  await withGatewayClient(settings, async (client) => {
    output.item(serverRow(await client.getServerInfo(String(context.args[0]))));
  });
}
