import { CONFIG_KEYS, readConfig, type ConfigKey } from '../config-file';
import { start } from '../context';
import type { ActionContext } from '../main';
import { UsageError } from '../usage-error';

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context, { expand: false });
  const key = checkedKey(String(context.args[0]));
  const value = (await readConfig()).profiles[settings.profile]?.[key];
  if (value === undefined) throw new UsageError(`${key} is not set in profile "${settings.profile}"`);
  output.text(value);
}

export function checkedKey(key: string): ConfigKey {
  if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
    throw new UsageError(`unknown setting "${key}": one of ${CONFIG_KEYS.join(', ')}`);
  }
  return key as ConfigKey;
}
