import { toolArguments } from '../arguments';
import { start } from '../context';
import type { ActionContext } from '../main';
import { connectTarget } from '../mcp-target';
import { printToolResult, progressText } from '../tool-result';

/** Calls a tool of the server, showing its progress notifications on stderr while it works. */
export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const [toolName, pairs = []] = context.args as [string, string[]];
  const parameters = await toolArguments(pairs, context.options['json']);
  const server = await connectTarget(context, settings, output);
  const progress = output.progress(`${toolName}…`);
  try {
    const result = await server.callTool(toolName, parameters, {
      onProgress: (update: { progress: number; total?: number; message?: string }) =>
        progress.update(progressText(toolName, update)),
      resetTimeoutOnProgress: true,
    });
    progress.stop();
    printToolResult(output, result);
  } finally {
    progress.stop();
    await server.close();
  }
}
