import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestAuthorizer } from '@sark/core';
import { GatewayClient, bearerToken } from '@sark/gateway';
import type { FileTokenStore } from '@sark/oauth/node';
import { configDir } from './config-file';
import { LoginNeededError } from './login-needed-error';
import { policyOf } from './policy';
import type { Settings } from './settings';
import { UsageError } from './usage-error';

/** The token store `sark login` fills: `~/.config/sark/tokens.json`, 0600 (never the config file). */
export async function tokenStore(): Promise<FileTokenStore> {
  const { FileTokenStore } = await import('@sark/oauth/node');
  return new FileTokenStore(join(configDir(), 'tokens.json'));
}

/** Where `sark login` keeps the redirect URI it registered with, so later runs find that client to refresh with. */
const loginFile = () => join(configDir(), 'login.json');

export async function rememberRedirectUri(redirectUri: string): Promise<void> {
  await mkdir(configDir(), { recursive: true, mode: 0o700 });
  await writeFile(loginFile(), `${JSON.stringify({ redirectUri })}\n`, { mode: 0o600 });
}

/**
 * The credential of a run: `--token` (or `SARK_TOKEN`) as a bearer token; else the tokens `sark login` stored —
 * used and refreshed, never a browser opened by a command that is not `login` (it says to run `sark login`).
 */
export async function storedAuth(settings: Settings, url?: string): Promise<RequestAuthorizer | undefined> {
  // The gateway's token goes to the gateway's origin only (a `--url` elsewhere gets the sign-ins made for it).
  if (settings.token !== undefined && (url === undefined || onGatewayOrigin(url, settings))) {
    return bearerToken(settings.token);
  }
  let redirectUri: string;
  try {
    redirectUri = (JSON.parse(await readFile(loginFile(), 'utf8')) as { redirectUri: string }).redirectUri;
  } catch {
    return undefined;
  }
  // Loaded only when there is a sign-in to use.
  const { OAuthClient } = await import('@sark/oauth');
  return new OAuthClient({
    redirectUri,
    store: await tokenStore(),
    authorize: async () => {
      throw new LoginNeededError('this needs a sign-in: run `sark login` first');
    },
  });
}

/** The gateway client of a run. */
export async function gatewayClient(settings: Settings): Promise<GatewayClient> {
  if (settings.gatewayUrl === undefined) {
    throw new UsageError(
      'no gateway: pass --gateway <url>, set SARK_GATEWAY_URL, or `sark config set gatewayUrl <url>`',
    );
  }
  return new GatewayClient({
    gatewayUrl: settings.gatewayUrl,
    apiKey: settings.apiKey,
    auth: await storedAuth(settings),
    dialect: settings.dialect,
    timeoutMs: settings.timeoutMs,
    opaClient: await policyOf(settings),
    // One attempt more at most: a person is waiting at the terminal.
    retry: { maxAttempts: 2, initialDelayMs: 200 },
  });
}

/** Runs `use` with the gateway client of a run, closed afterwards whatever happens. */
export async function withGatewayClient<T>(settings: Settings, use: (client: GatewayClient) => Promise<T>): Promise<T> {
  const client = await gatewayClient(settings);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** Whether `url` is on the gateway's origin (or no gateway is configured, and the token was given for this use). */
export function onGatewayOrigin(url: string, settings: Settings): boolean {
  if (settings.gatewayUrl === undefined) return true;
  try {
    return new URL(url).origin === new URL(settings.gatewayUrl).origin;
  } catch {
    return false;
  }
}
