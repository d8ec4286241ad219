import { start } from '../context';
import type { ActionContext } from '../main';
import { connectTarget } from '../mcp-target';

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const server = await connectTarget(context, settings, output);
  try {
    const { prompts = [] } = await server.sendRequest<{ prompts?: Record<string, unknown>[] }>('prompts/list', {});
    output.list(
      prompts.map((prompt) => ({
        ...prompt,
        arguments: Array.isArray(prompt['arguments'])
          ? (prompt['arguments'] as { name?: unknown }[]).map((argument) => argument.name).join(', ')
          : '',
      })),
      ['name', 'arguments', 'description'],
    );
  } finally {
    await server.close();
  }
}
