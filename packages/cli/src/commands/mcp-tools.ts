import { parametersFromSchema } from '@sark/core/internal';
import { start } from '../context';
import type { ActionContext } from '../main';
import { connectTarget } from '../mcp-target';

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const server = await connectTarget(context, settings, output);
  try {
    const tools = await server.listTools();
    output.list(
      tools.map((tool) => {
        const parameters = parametersFromSchema(tool.inputSchema);
        const shown = parameters.map((p) => (p.required ? `${p.name}: ${p.type}` : `[${p.name}: ${p.type}]`));
        return {
          tool: tool.name,
          signature: `${tool.name}(${shown.join(', ')})`,
          description: typeof tool.description === 'string' ? tool.description : '',
          inputSchema: tool.inputSchema,
        };
      }),
      ['signature', 'description'],
    );
  } finally {
    await server.close();
  }
}
