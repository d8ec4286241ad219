import { GatewayConfigError } from '@sark/core';

/** Variables a child gets from the parent by default: enough to find programs and behave, no secrets. */
export const SAFE_ENV_KEYS: readonly string[] = /* @__PURE__ */ Object.freeze([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LC_ALL',
  'TERM',
  'SHELL',
  'TMPDIR',
  'TZ',
  // Windows needs these to start most programs at all.
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'ComSpec',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'TEMP',
  'TMP',
]);

/** Options that decide a child's environment. */
export interface ChildEnvOptions {
  /** Added on top (and winning over) the inherited variables. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Inherit the parent's whole environment instead of the safe set. Default false. */
  inheritEnv?: boolean | undefined;
  /**
   * Names of variables whose values are secrets besides those named like one (`*TOKEN*`, `*KEY*`, `*SECRET*`,
   * `*PASSWORD*`, …): their values are redacted from every error, log line and the stderr tail.
   */
  secretEnv?: readonly string[] | undefined;
}

/**
 * Checks `env` and `secretEnv` (`GatewayConfigError` naming the variable, never its value): names non-empty, without
 * `=` or NUL; values strings (or undefined, to remove one) without NUL.
 */
export function checkChildEnvOptions(options: ChildEnvOptions): void {
  const env: unknown = options.env;
  if (env !== undefined && (typeof env !== 'object' || env === null || Array.isArray(env)))
    throw new GatewayConfigError({ option: 'env', message: 'must be an object of strings' });
  for (const [name, value] of Object.entries(options.env ?? {})) {
    const shown = JSON.stringify(name.slice(0, 64));
    if (name === '' || name.includes('=') || name.includes('\0'))
      throw new GatewayConfigError({
        option: 'env',
        message: `${shown} is not a variable name (empty, or holds "=" or NUL)`,
      });
    if (value !== undefined && (typeof value !== 'string' || value.includes('\0')))
      throw new GatewayConfigError({
        option: `env.${shown}`,
        message: 'must be a string without NUL characters, or undefined',
      });
  }
  const secretEnv: unknown = options.secretEnv;
  if (secretEnv !== undefined && (!Array.isArray(secretEnv) || secretEnv.some((name) => typeof name !== 'string')))
    throw new GatewayConfigError({ option: 'secretEnv', message: 'must be an array of variable names' });
}

const SECRET_ENV_NAME = /key|token|secret|pass(word|wd)?|credential|auth|session|cookie/i;

/** The values of `env` that are secrets: variables named like one, and those listed in `secretEnv`. */
export function secretEnvValues(env: Readonly<Record<string, string>>, secretEnv: readonly string[] = []): string[] {
  const listed = new Set(secretEnv);
  return Object.entries(env)
    .filter(([name]) => listed.has(name) || SECRET_ENV_NAME.test(name))
    .map(([, value]) => value);
}

/**
 * The environment for a child process: the parent's safe variables (or all of them with `inheritEnv`), plus `env`.
 * A parent's API keys and tokens therefore never reach a local server unless asked for.
 */
export function childEnv(options: ChildEnvOptions, parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = options.inheritEnv ? Object.keys(parent) : SAFE_ENV_KEYS;
  for (const key of keys) {
    const value = parent[key];
    if (value !== undefined) out[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}
