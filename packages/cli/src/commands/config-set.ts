import { SECRET_KEYS, readConfig, writeConfig } from '../config-file';
import { start } from '../context';
import type { ActionContext } from '../main';
import { UsageError } from '../usage-error';
import { checkedKey } from './config-get';

/** Sets one setting of the profile. A secret (apiKey, token) only as a `${ENV}` reference: never literally on disk. */
export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context, { expand: false });
  const key = checkedKey(String(context.args[0]));
  const value = String(context.args[1]);
  if (SECRET_KEYS.has(key) && !/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value)) {
    throw new UsageError(
      `${key} is a secret: the config file takes a reference to the environment ('\${SARK_API_KEY}'), not a value`,
    );
  }
  const config = await readConfig();
  config.profiles[settings.profile] = { ...config.profiles[settings.profile], [key]: value };
  await writeConfig(config);
  output.note(`${settings.profile}: ${key} set`);
}
