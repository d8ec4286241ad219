import { GatewayClient } from '@sark/gateway';
import { OAuthClient } from '@sark/oauth';
import { loopbackDriver } from '@sark/oauth/node';
import { rememberRedirectUri, tokenStore } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';
import { UsageError } from '../usage-error';

/**
 * Signs in to the gateway (default) or an MCP server at `url`: OAuth with PKCE through a browser on this machine —
 * or, with `--no-browser`, the URL printed to open anywhere. Tokens go to `~/.config/sark/tokens.json` (0600), never
 * to the config file; later commands use and refresh them.
 */
export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const url = (context.args[0] as string | undefined) ?? settings.gatewayUrl;
  if (url === undefined) throw new UsageError('sign in where? give a url, or configure the gateway');
  const driver = await loopbackDriver({
    openBrowser: context.options['browser'] !== false,
    onUrl: (signIn) => process.stderr.write(`Open this URL to sign in:\n${signIn.href}\n`),
  });
  try {
    await rememberRedirectUri(driver.redirectUri);
    const auth = new OAuthClient({
      redirectUri: driver.redirectUri,
      authorize: driver.authorize,
      store: await tokenStore(),
      clientName: 'sark (command line)',
    });
    if (url === settings.gatewayUrl) {
      const client = new GatewayClient({ gatewayUrl: url, auth, dialect: settings.dialect, retry: { maxAttempts: 1 } });
      try {
        await client.listServers({ pageSize: 1 });
      } finally {
        await client.close();
      }
    } else {
      const { RemoteServer } = await import('@sark/transport-mcp-http');
      const server = await RemoteServer.connect({ url, auth });
      await server.close();
    }
    output.note(`signed in to ${url}`);
  } finally {
    await driver.close();
  }
}
