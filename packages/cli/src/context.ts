import type { ActionContext } from './main';
import { Output, loadFormatters } from './output';
import { resolveSettings, type Settings } from './settings';

/** What every command starts from: its settings and its output. */
export async function start(
  context: ActionContext,
  options: { expand?: boolean } = {},
): Promise<{ settings: Settings; output: Output }> {
  const settings = await resolveSettings(context.options, options);
  return { settings, output: new Output(settings, await loadFormatters(settings.output)) };
}
