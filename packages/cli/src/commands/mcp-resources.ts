import { start } from '../context';
import type { ActionContext } from '../main';
import { connectTarget } from '../mcp-target';

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const server = await connectTarget(context, settings, output);
  try {
    const { resources = [] } = await server.sendRequest<{ resources?: Record<string, unknown>[] }>(
      'resources/list',
      {},
    );
    output.list(resources, ['uri', 'name', 'mimeType']);
  } finally {
    await server.close();
  }
}
