import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayHttpError, type GatewayEvent } from '@sark/core';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { GatewayClient } from '@sark/gateway';
import { OAuthClient, headlessDriver, type AuthorizeUser } from '@sark/oauth';
import { everythingArgs, headerObject } from './helpers';

// GatewayClient({ auth }) against the dev gateway in OAuth mode (a real oidc-provider beside it): the REST API and
// the gateway's MCP endpoints each get a token for exactly their resource, from one OAuthClient.
let gateway: DevGateway;
beforeAll(async () => {
  gateway = await startDevGateway({
    config: { oauth: true, servers: [{ name: 'everything', command: process.execPath, args: everythingArgs() }] },
  });
}, 60_000);
afterAll(() => gateway?.close());

/** A client whose sign-ins (auto-approved) are written down by the resource each one was for. */
function signingInClient(): { client: GatewayClient; resources: (string | null)[] } {
  const driver = headlessDriver();
  const resources: (string | null)[] = [];
  const authorize: AuthorizeUser = (url, options) => {
    resources.push(url.searchParams.get('resource'));
    return driver.authorize(url, options);
  };
  const auth = new OAuthClient({ redirectUri: driver.redirectUri, authorize });
  return { client: new GatewayClient({ gatewayUrl: gateway.url, auth }), resources };
}

describe('GatewayClient with OAuth', () => {
  it('REST and MCP endpoints of the gateway: one sign-in per resource, the resource byte-exact each time', async () => {
    const { client, resources } = signingInClient();
    try {
      const servers = await client.listServers();
      expect(servers.map((server) => server.serverName)).toEqual(['everything']);
      const result = await client.invokeTool({
        serverName: 'everything',
        toolName: 'echo',
        parameters: { message: 'x' },
      });
      expect(JSON.stringify(result)).toContain('Echo: x');
      const remote = await client.connectRemoteServer({ id: 'everything', server: 'everything' });
      expect((await remote.callTool('echo', { message: 'mcp' })).content[0]?.['text']).toBe('Echo: mcp');
      expect(resources).toEqual([gateway.url, `${gateway.url}/mcp/everything`]);
    } finally {
      await client.close();
    }
  });

  it('event streams too: a stream’s 401 signs in once, for the REST API’s resource, shared with REST', async () => {
    const { client, resources } = signingInClient();
    try {
      const stream = client.streamEvents({ eventTypes: ['tool_invoked'] });
      let arrived = false;
      const first = stream.next().finally(() => (arrived = true));
      // Calls until the stream, connected once its sign-in is done, hears one (bounded: 50 calls).
      for (let calls = 0; calls < 50 && !arrived; calls++) {
        await client.invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'heard' } });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const event = (await first).value as GatewayEvent;
      expect(event.eventType).toBe('tool_invoked');
      expect(JSON.stringify(event.data)).toContain('echo');
      await stream.return?.(undefined);
      expect(resources).toEqual([gateway.url]);
    } finally {
      await client.close();
    }
  });

  it('without auth or an API key the gateway’s 401 is a GatewayHttpError', async () => {
    const client = new GatewayClient({ gatewayUrl: gateway.url, enableErrorHandling: false });
    try {
      const error = await client.listServers().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayHttpError);
      expect((error as GatewayHttpError).status).toBe(401);
    } finally {
      await client.close();
    }
  });

  it('a remote server on another origin does not get the client’s auth', async () => {
    let asked = 0;
    const driver = headlessDriver();
    const client = new GatewayClient({
      gatewayUrl: 'http://127.0.0.1:9', // not the gateway that asks for OAuth below
      auth: new OAuthClient({
        redirectUri: driver.redirectUri,
        authorize: (url, o) => (asked++, driver.authorize(url, o)),
      }),
    });
    try {
      const error = await client
        .connectRemoteServer({ id: 'elsewhere', url: `${gateway.url}/mcp/everything` })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayHttpError);
      expect(asked).toBe(0);
    } finally {
      await client.close();
    }
  });
});

describe("dialect 'mcp-gateway-registry' behind OAuth", () => {
  it('one sign-in for the registry: its token on /api/* and, in X-Authorization, on the MCP paths', async () => {
    const registry = await startDevGateway({
      config: {
        oauth: true,
        dialect: 'mcp-gateway-registry',
        servers: [{ name: 'everything', command: process.execPath, args: everythingArgs() }],
      },
    });
    const driver = headlessDriver();
    const resources: (string | null)[] = [];
    const mcpHeaders: Record<string, string>[] = [];
    const client = new GatewayClient({
      gatewayUrl: registry.url,
      dialect: 'auto',
      auth: new OAuthClient({
        redirectUri: driver.redirectUri,
        authorize: (url, options) => {
          resources.push(url.searchParams.get('resource'));
          return driver.authorize(url, options);
        },
      }),
      fetch: (input, init) => {
        if (String(input).endsWith('/everything/mcp')) {
          mcpHeaders.push(headerObject(init?.headers));
        }
        return fetch(input, init);
      },
    });
    try {
      expect((await client.listServers()).map((server) => server.serverId)).toEqual(['/everything']);
      expect(client.dialect).toBe('mcp-gateway-registry');
      expect((await client.whoami()).authMethod).toBe('oauth2');
      const result = await client.invokeTool({
        serverName: '/everything',
        toolName: 'echo',
        parameters: { message: 'signed in' },
      });
      expect(JSON.stringify(result)).toContain('Echo: signed in');
      expect(resources).toEqual([registry.url]);
      expect(mcpHeaders.length).toBeGreaterThan(0);
      for (const headers of mcpHeaders) {
        expect(headers['x-authorization']).toMatch(/^Bearer \S+$/);
        expect(headers['authorization']).toBeUndefined();
      }
      // Without a token the registry's MCP path answers 401 and names where to get one.
      const anonymous = new GatewayClient({
        gatewayUrl: registry.url,
        dialect: 'mcp-gateway-registry',
        enableErrorHandling: false,
      });
      const refused = await anonymous
        .invokeTool({ serverName: '/everything', toolName: 'echo', parameters: { message: 'x' } })
        .catch((e: unknown) => e);
      await anonymous.close();
      expect(refused).toBeInstanceOf(GatewayHttpError);
      expect((refused as GatewayHttpError).status).toBe(401);
    } finally {
      await client.close();
      await registry.close();
    }
  }, 60_000);
});
