import { gatewayClient } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const client = await gatewayClient(settings);
  try {
    const me = await client.whoami();
    output.item({ ...me });
  } finally {
    await client.close();
  }
}
