import { readConfig } from '../config-file';
import { start } from '../context';
import type { ActionContext } from '../main';

/** The profile's settings as stored (secrets are `${ENV}` references there, shown as such). */
export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context, { expand: false });
  const config = await readConfig();
  const profile = config.profiles[settings.profile] ?? {};
  output.list(
    Object.entries(profile).map(([key, value]) => ({ key, value })),
    ['key', 'value'],
  );
}
