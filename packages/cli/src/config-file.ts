import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from './usage-error';

/** The settings a profile may hold (secrets as `${ENV}` references, never literally — `config set` refuses them). */
export const CONFIG_KEYS = ['gatewayUrl', 'apiKey', 'token', 'dialect', 'timeoutMs', 'opaUrl', 'output'] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];
/** Keys whose values are secrets: only `${ENV}` references are written to the file. */
export const SECRET_KEYS: ReadonlySet<ConfigKey> = new Set(['apiKey', 'token']);

/** The config file: named profiles of settings. */
export interface ConfigFile {
  profiles: Record<string, Partial<Record<ConfigKey, string>>>;
}

/** `$XDG_CONFIG_HOME/sark` (default `~/.config/sark`): the config file and the token store live here. */
export function configDir(): string {
  const base = process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'sark');
}

export function configPath(): string {
  return join(configDir(), 'config.json');
}

/** The config file, or an empty one when there is none. A file that is not a config is a usage error naming it. */
export async function readConfig(): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(configPath(), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${configPath()} is not JSON`);
  }
  const profiles = (parsed as { profiles?: unknown } | null)?.profiles;
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new UsageError(`${configPath()}: expected {"profiles": {"default": {…}}}`);
  }
  return { profiles: profiles as ConfigFile['profiles'] };
}

/** Writes the config file: 0600 in a 0700 directory, replaced at once (never half written). */
export async function writeConfig(config: ConfigFile): Promise<void> {
  const path = configPath();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/** `${NAME}` references replaced by the environment's values (a missing one is a usage error naming it). */
export function expandEnv(value: string, key: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const found = process.env[name];
    if (found === undefined) throw new UsageError(`config ${key}: the environment has no ${name}`);
    return found;
  });
}
