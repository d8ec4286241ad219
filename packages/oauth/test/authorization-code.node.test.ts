import { afterAll, describe, expect, inject, it } from 'vitest';
import { GatewayHttpError } from '@sark/core';
import { MemoryTokenStore, OAuthClient, OAuthError, headlessDriver, type AuthorizeUser } from '@sark/oauth';
import { RemoteServer } from '@sark/transport-mcp-http';
import { form, recordingFetch, tokenRequests } from './helpers';

// The whole MCP authorization flow against a real authorization server (oidc-provider, in the dev gateway's OAuth
// mode) and real MCP servers behind the gateway: discovery, dynamic registration, PKCE, resource indicators.
const gateway = inject('oauthGateway');

const open: RemoteServer[] = [];
afterAll(() => Promise.all(open.splice(0).map((server) => server.close())));

/** A headless "browser" that counts the sign-ins it went through. */
function countingDriver() {
  const driver = headlessDriver();
  const urls: URL[] = [];
  const authorize: AuthorizeUser = (url, options) => {
    urls.push(url);
    return driver.authorize(url, options);
  };
  return { redirectUri: driver.redirectUri, authorize, urls };
}

async function connect(path: string, auth: OAuthClient, fetchImpl?: typeof fetch): Promise<RemoteServer> {
  const server = await RemoteServer.connect({
    url: `${gateway.url}${path}`,
    auth,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  open.push(server);
  return server;
}

describe('authorization code with PKCE against oidc-provider', () => {
  it('a 401: discovery, registration, sign-in, a token for exactly the resource; the call goes through', async () => {
    const as = recordingFetch();
    const rs = recordingFetch();
    const driver = countingDriver();
    const auth = new OAuthClient({ ...driver, fetch: as.fetch, clientName: 'flow test' });
    const server = await connect('/mcp/everything', auth, rs.fetch);
    const result = await server.callTool('echo', { message: 'behind OAuth' });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: behind OAuth' }]);

    // Discovery in the spec's order: the header's resource metadata, then the issuer's RFC 8414 metadata.
    const paths = as.seen.map((request) => `${request.method} ${request.url.pathname}`);
    expect(paths).toEqual([
      'GET /.well-known/oauth-protected-resource/mcp/everything',
      'GET /.well-known/oauth-authorization-server',
      'POST /reg',
      'POST /token',
    ]);
    const registration = JSON.parse(as.seen[2]?.body ?? '{}') as Record<string, unknown>;
    expect(registration).toMatchObject({
      client_name: 'flow test',
      redirect_uris: [driver.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    });
    // One sign-in: PKCE S256, state, the scope the server named (and offline_access, which the authorization server
    // offers: a refresh token, SEP-2207), and `resource` byte-exact (no trailing slash).
    expect(driver.urls).toHaveLength(1);
    const query = driver.urls[0]?.searchParams as URLSearchParams;
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(query.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(query.get('scope')).toBe('mcp:tools offline_access');
    expect(query.get('resource')).toBe(`${gateway.url}/mcp/everything`);
    const [exchange] = tokenRequests(as.seen, 'authorization_code');
    expect(form(exchange!).get('resource')).toBe(`${gateway.url}/mcp/everything`);
    expect(form(exchange!).get('code_verifier')).toMatch(/^[\w-]{43,128}$/);

    // The token went with every request after the first, and only as Authorization.
    const sent = rs.seen.map((request) => request.headers.get('authorization'));
    expect(sent[0]).toBeNull();
    expect(sent.slice(1).every((value) => value !== null && /^Bearer \S+$/.test(value))).toBe(true);
  });

  it('ten requests refused at once: one sign-in, and all ten go through', async () => {
    const driver = countingDriver();
    const auth = new OAuthClient({ ...driver });
    const server = await connect('/mcp/everything', auth);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => server.callTool('echo', { message: `n${i}` })),
    );
    expect(results.map((result) => result.content[0]?.['text'])).toEqual(
      Array.from({ length: 10 }, (_, i) => `Echo: n${i}`),
    );
    expect(driver.urls).toHaveLength(1);
  });

  it('one request giving up while a sign-in is under way fails only itself; the others get the token', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const driver = headlessDriver();
    const auth = new OAuthClient({
      redirectUri: driver.redirectUri,
      authorize: async (url, options) => (await gate, driver.authorize(url, options)),
    });
    const url = `${gateway.url}/mcp/everything`;
    const refusal = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await refusal.body?.cancel();
    expect(refusal.status).toBe(401);
    const answer = { status: 401, headers: refusal.headers };
    const controller = new AbortController();
    const leaving = auth.refused({ url, method: 'POST', signal: controller.signal }, answer).catch((e: unknown) => e);
    const staying = auth.refused({ url, method: 'POST' }, answer);
    controller.abort(new Error('the caller went away'));
    expect(await leaving).toMatchObject({ message: 'the caller went away' });
    release();
    expect(await staying).toBe(true);
    expect((await auth.headers({ url, method: 'POST' }))['authorization']).toMatch(/^Bearer \S+$/);
  });

  it('a token goes only to its resource: another server behind the gateway gets its own', async () => {
    const rs = recordingFetch();
    const driver = countingDriver();
    const auth = new OAuthClient({ ...driver });
    const everything = await connect('/mcp/everything', auth, rs.fetch);
    await everything.listTools();
    const memory = await connect('/mcp/memory', auth, rs.fetch);
    await memory.listTools();
    expect(driver.urls.map((url) => url.searchParams.get('resource'))).toEqual([
      `${gateway.url}/mcp/everything`,
      `${gateway.url}/mcp/memory`,
    ]);
    const tokenFor = (path: string) =>
      new Set(
        rs.seen
          .filter((request) => request.url.pathname === path)
          .map((request) => request.headers.get('authorization'))
          .filter((value) => value !== null),
      );
    const everythingTokens = tokenFor('/mcp/everything');
    const memoryTokens = tokenFor('/mcp/memory');
    expect(everythingTokens.size).toBe(1);
    expect(memoryTokens.size).toBe(1);
    expect([...everythingTokens].some((token) => memoryTokens.has(token))).toBe(false);
  });

  it('step-up: a 403 insufficient_scope asks for the scopes held plus the new one; the call succeeds', async () => {
    const driver = countingDriver();
    const auth = new OAuthClient({ ...driver });
    const server = await connect('/mcp/everything', auth);
    await server.callTool('echo', { message: 'basic scope is enough' });
    const result = await server.callTool('get-env');
    expect(JSON.stringify(result.content)).toContain('PATH');
    const scopes = driver.urls.map((url) => (url.searchParams.get('scope') ?? '').split(' ').sort());
    expect(scopes).toEqual([
      ['mcp:tools', 'offline_access'],
      ['mcp:env', 'mcp:tools', 'offline_access'],
    ]);
    // Held scopes are kept: the echo still works with the stepped-up token, without another sign-in.
    await server.callTool('echo', { message: 'still' });
    expect(driver.urls).toHaveLength(2);
  });

  it('a sign-in the user refuses is an OAuthError with the server’s code, and the request fails with it', async () => {
    const auth = new OAuthClient({
      redirectUri: 'http://127.0.0.1/callback',
      authorize: async (url) => {
        const back = new URL('http://127.0.0.1/callback');
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        back.searchParams.set('iss', gateway.issuer ?? '');
        return back;
      },
    });
    const error = await RemoteServer.connect({ url: `${gateway.url}/mcp/everything`, auth }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).error).toBe('access_denied');
  });

  it('a callback with another state or another iss is refused before any code is sent', async () => {
    for (const tamper of ['state', 'iss'] as const) {
      const as = recordingFetch();
      const driver = headlessDriver();
      const auth = new OAuthClient({
        redirectUri: driver.redirectUri,
        fetch: as.fetch,
        authorize: async (url, options) => {
          const back = new URL(await driver.authorize(url, options));
          back.searchParams.set(tamper, tamper === 'iss' ? 'https://evil.example' : 'forged-state-value');
          return back;
        },
      });
      const error = await RemoteServer.connect({ url: `${gateway.url}/mcp/everything`, auth }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OAuthError);
      expect(tokenRequests(as.seen, 'authorization_code')).toEqual([]);
    }
  });

  it('without auth the server’s 401 is a GatewayHttpError, as before', async () => {
    const error = await RemoteServer.connect({ url: `${gateway.url}/mcp/everything` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect((error as GatewayHttpError).status).toBe(401);
  });

  it('tokens kept in a store are used by the next client: no second sign-in', async () => {
    const store = new MemoryTokenStore();
    const first = countingDriver();
    const server = await connect('/mcp/everything', new OAuthClient({ ...first, store }));
    await server.listTools();
    const second = countingDriver();
    const again = await connect('/mcp/everything', new OAuthClient({ ...second, store }));
    await again.listTools();
    expect(first.urls).toHaveLength(1);
    expect(second.urls).toHaveLength(0);
  });
});
