import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevGateway } from '@sark/dev-gateway';
import {
  OAuthClient,
  headlessDriver,
  type StoredClient,
  type StoredTokens,
  type StoredValue,
  type TokenStore,
} from '@sark/oauth';
import { RemoteServer } from '@sark/transport-mcp-http';
import { form, recordingFetch, startOAuthGateway, tokenRequests } from './helpers';

// Tokens that expire: a gateway whose access tokens live 2 s, a client that refreshes 1.5 s before expiry — so a
// token is due 0.5 s after it is issued. oidc-provider rotates refresh tokens of public clients and, when a used one
// comes back, revokes the whole grant: a second refresh with the same token would fail for real.
let gateway: DevGateway;
beforeAll(async () => {
  gateway = await startOAuthGateway({ accessTokenTtlSeconds: 2 });
}, 60_000);
afterAll(() => gateway?.close());

const open: RemoteServer[] = [];
afterAll(() => Promise.all(open.splice(0).map((server) => server.close())));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A token store the test can look into. */
function mapStore(): TokenStore & { entries: Map<string, StoredValue> } {
  const entries = new Map<string, StoredValue>();
  return {
    entries,
    get: (key) => entries.get(key),
    set: (key, value) => void entries.set(key, value),
    delete: (key) => void entries.delete(key),
  };
}

function stored<T extends StoredValue>(store: { entries: Map<string, StoredValue> }, prefix: string): [string, T] {
  const found = [...store.entries].find(([key]) => key.startsWith(prefix));
  if (!found) throw new Error(`nothing stored under ${prefix}`);
  return found as [string, T];
}

async function signedIn(store: TokenStore = mapStore()) {
  const as = recordingFetch();
  const rs = recordingFetch();
  const auth = new OAuthClient({ ...headlessDriver(), fetch: as.fetch, refreshMarginMs: 1500, store });
  const server = await RemoteServer.connect({ url: `${gateway.url}/mcp/everything`, auth, fetch: rs.fetch });
  open.push(server);
  return { server, as, rs, auth };
}

/**
 * Signed in, and quiet: one call after the token fell due, so that whatever refresh the connection itself caused (a
 * slow machine can take longer than the half second before a token is due) is over before the test counts.
 */
async function settled(store: TokenStore = mapStore()) {
  const session = await signedIn(store);
  await sleep(700);
  await session.server.callTool('echo', { message: 'settle' });
  return session;
}

describe('refresh', () => {
  it('twenty requests on a due token: one refresh, with the rotating refresh token; all twenty succeed', async () => {
    const { server, as } = await settled();
    await sleep(700); // the token is now due
    const before = tokenRequests(as.seen, 'refresh_token').length;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => server.callTool('echo', { message: `r${i}` })),
    );
    expect(results).toHaveLength(20);
    const refreshes = tokenRequests(as.seen, 'refresh_token').slice(before);
    expect(refreshes).toHaveLength(1);
    expect(form(refreshes[0]!).get('resource')).toBe(`${gateway.url}/mcp/everything`);
    // The rotated refresh token is the one used next time (the old one would revoke the grant).
    await sleep(700);
    await server.callTool('echo', { message: 'again' });
    const [first, second] = tokenRequests(as.seen, 'refresh_token').slice(before);
    expect(form(second!).get('refresh_token')).not.toBe(form(first!).get('refresh_token'));
    expect(tokenRequests(as.seen, 'authorization_code')).toHaveLength(1);
  });

  it('one request giving up while a refresh is shared fails only itself; the others get the new token', async () => {
    const { auth, as } = await settled();
    await sleep(700); // due
    const before = tokenRequests(as.seen, 'refresh_token').length;
    const url = `${gateway.url}/mcp/everything`;
    const controller = new AbortController();
    const leaving = auth.headers({ url, method: 'POST', signal: controller.signal }).catch((e: unknown) => e);
    const staying = Promise.all(Array.from({ length: 5 }, () => auth.headers({ url, method: 'POST' })));
    controller.abort(new Error('the caller went away'));
    expect(await leaving).toMatchObject({ message: 'the caller went away' });
    const headers = await staying;
    expect(new Set(headers.map((h) => h['authorization'])).size).toBe(1);
    expect(headers[0]?.['authorization']).toMatch(/^Bearer \S+$/);
    expect(tokenRequests(as.seen, 'refresh_token').length - before).toBe(1);
  });

  it('an expired token that cannot be refreshed is never sent: the user signs in again', async () => {
    const store = mapStore();
    const first = await signedIn(store);
    await first.server.close();
    const [key, tokens] = stored<StoredTokens>(store, 'tokens ');
    store.entries.set(key, { ...tokens, refreshToken: undefined, expiresAt: Date.now() - 1000 });
    const { server, rs, as } = await signedIn(store);
    await server.callTool('echo', { message: 'after expiry' });
    const sent = rs.seen.map((request) => request.headers.get('authorization'));
    expect(sent).not.toContain(`Bearer ${tokens.accessToken}`);
    expect(tokenRequests(as.seen, 'authorization_code')).toHaveLength(1);
  });

  it('a refresh token the server no longer takes: it is forgotten and the user signs in again', async () => {
    const store = mapStore();
    const { server, as } = await settled(store);
    const [, tokens] = stored<StoredTokens>(store, 'tokens ');
    const [, client] = stored<StoredClient>(store, 'client ');
    // RFC 7009 revocation at the authorization server, as a user signing out elsewhere would.
    const revocation = await fetch(`${gateway.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refreshToken!, client_id: client.clientId }),
    });
    expect(revocation.status).toBe(200);
    await sleep(700);
    const refreshes = tokenRequests(as.seen, 'refresh_token').length;
    await server.callTool('echo', { message: 'after revocation' });
    expect(tokenRequests(as.seen, 'refresh_token').length - refreshes).toBe(1);
    expect(tokenRequests(as.seen, 'authorization_code')).toHaveLength(2);
  });
});
