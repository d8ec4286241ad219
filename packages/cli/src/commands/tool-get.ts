import { ToolFailedError } from '../tool-failed-error';
import { withGatewayClient } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';
import { toolRow } from './tools';

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const [serverName, toolName] = context.args.map(String) as [string, string];
  await withGatewayClient(settings, async (client) => {
    const tool = (await client.listAllTools({ serverName })).find((candidate) => candidate.toolName === toolName);
    if (!tool) throw new ToolFailedError(`${serverName} has no tool ${JSON.stringify(toolName)}`);
    const { parameters, ...rest } = toolRow(tool);
    output.item({ ...rest, parameters });
  });
}
