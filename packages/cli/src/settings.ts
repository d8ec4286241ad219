import { CONFIG_KEYS, expandEnv, readConfig, type ConfigKey } from './config-file';
import { UsageError } from './usage-error';

/** Everything a command needs to know about where and how, resolved: flags > environment > the config profile. */
export interface Settings {
  readonly profile: string;
  readonly gatewayUrl: string | undefined;
  readonly apiKey: string | undefined;
  readonly token: string | undefined;
  readonly dialect: 'sark' | 'mcp-gateway-registry' | 'mcp' | 'auto' | undefined;
  readonly timeoutMs: number | undefined;
  readonly opaUrl: string | undefined;
  readonly output: 'table' | 'tsv' | 'json' | 'yaml';
  readonly color: boolean;
  readonly quiet: boolean;
}

const ENV: Record<ConfigKey, string> = {
  gatewayUrl: 'SARK_GATEWAY_URL',
  apiKey: 'SARK_API_KEY',
  token: 'SARK_TOKEN',
  dialect: 'SARK_DIALECT',
  timeoutMs: 'SARK_TIMEOUT',
  opaUrl: 'SARK_OPA_URL',
  output: 'SARK_OUTPUT',
};

/** The flag of each setting, as commander names it. */
const FLAG: Record<ConfigKey, string> = {
  gatewayUrl: 'gateway',
  apiKey: 'apiKey',
  token: 'token',
  dialect: 'dialect',
  timeoutMs: 'timeout',
  opaUrl: 'opaUrl',
  output: 'output',
};

const DIALECTS = ['sark', 'mcp-gateway-registry', 'mcp', 'auto'];
const OUTPUTS = ['table', 'tsv', 'json', 'yaml'];

/** `expand: false` leaves `${ENV}` references as they are (the `config` commands show and set them). */
export async function resolveSettings(
  options: Readonly<Record<string, unknown>>,
  { expand = true }: { expand?: boolean } = {},
): Promise<Settings> {
  const profile = stringOption(options['profile']) ?? process.env['SARK_PROFILE'] ?? 'default';
  const config = await readConfig();
  const stored = config.profiles[profile] ?? {};
  // A profile named on the command line must exist — except for the `config` commands, which make them.
  if (expand && profile !== 'default' && config.profiles[profile] === undefined && options['profile'] !== undefined) {
    throw new UsageError(`no profile "${profile}" in the config file (sark config list shows the settings)`);
  }
  const value = (key: ConfigKey): string | undefined => {
    const flag = stringOption(options[FLAG[key]]);
    if (flag !== undefined) return flag;
    const env = process.env[ENV[key]];
    if (env !== undefined && env !== '') return env;
    const fromFile = stored[key];
    if (typeof fromFile !== 'string') return undefined;
    return expand ? expandEnv(fromFile, key) : fromFile;
  };
  const dialect = value('dialect');
  if (dialect !== undefined && !DIALECTS.includes(dialect)) {
    throw new UsageError(`dialect "${dialect}" is not one of ${DIALECTS.join(', ')}`);
  }
  const output = value('output') ?? (process.stdout.isTTY ? 'table' : 'tsv');
  if (!OUTPUTS.includes(output)) throw new UsageError(`output "${output}" is not one of ${OUTPUTS.join(', ')}`);
  const timeout = value('timeoutMs');
  const timeoutMs = timeout === undefined ? undefined : Number(timeout);
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new UsageError(`timeout "${timeout}" is not a number of milliseconds`);
  }
  const noColor = options['color'] === false || (process.env['NO_COLOR'] ?? '') !== '';
  return {
    profile,
    gatewayUrl: value('gatewayUrl'),
    apiKey: value('apiKey'),
    token: value('token'),
    dialect: dialect as Settings['dialect'],
    timeoutMs,
    opaUrl: value('opaUrl'),
    output: output as Settings['output'],
    color: !noColor && process.stdout.isTTY === true,
    quiet: options['quiet'] === true,
  };
}

function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export { CONFIG_KEYS };
