import { toolArguments, valueOrFile } from '../arguments';
import { withGatewayClient } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';
import { printToolResult, progressText } from '../tool-result';

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const [serverName, toolName, pairs = []] = context.args as [string, string, string[]];
  const parameters = await toolArguments(pairs, context.options['json']);
  const user = context.options['user'];
  await withGatewayClient(settings, async (client) => {
    const progress = output.progress(`${toolName} on ${serverName}…`);
    try {
      const answer = await client.invokeTool({
        serverName,
        toolName,
        parameters,
        // The server's progress, where the gateway relays it (its MCP-based APIs).
        onProgress: (update) => progress.update(progressText(toolName, update)),
        ...(typeof user === 'string' ? { userToken: await valueOrFile(user) } : {}),
      });
      progress.stop();
      printToolResult(output, answer['result'] ?? answer, answer['status'] === 'error');
    } finally {
      progress.stop();
    }
  });
}
