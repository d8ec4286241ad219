import type { ToolInfo } from '@sark/core';
import { withGatewayClient } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';

/** `echo(message: string, [times: integer])`: a tool's parameters at a glance (optional ones in brackets). */
export function signature(tool: ToolInfo): string {
  const parameters = tool.parameters.map((p) => (p.required ? `${p.name}: ${p.type}` : `[${p.name}: ${p.type}]`));
  return `${tool.toolName}(${parameters.join(', ')})`;
}

export function toolRow(tool: ToolInfo): Record<string, unknown> {
  return {
    server: tool.serverName,
    tool: tool.toolName,
    signature: signature(tool),
    description: tool.description,
    sensitivity: tool.sensitivityLevel,
    parameters: tool.parameters,
    sensitiveParams: tool.sensitiveParams,
  };
}

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  await withGatewayClient(settings, async (client) => {
    const progress = output.progress('listing tools…');
    try {
      const server = context.options['server'];
      const tools = await client.listAllTools(typeof server === 'string' ? { serverName: server } : {});
      progress.stop();
      output.list(tools.map(toolRow), ['server', 'signature', 'description']);
    } finally {
      progress.stop();
    }
  });
}
