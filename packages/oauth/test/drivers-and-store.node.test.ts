import { mkdtempSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { MemoryTokenStore, OAuthClient, OAuthError, browserRedirect, headlessDriver } from '@sark/oauth';
import { FileTokenStore, loopbackDriver } from '@sark/oauth/node';
import { RemoteServer } from '@sark/transport-mcp-http';

const gateway = inject('oauthGateway');

/** Plays the user's browser: follows the authorization URL, cookies kept, to wherever it finally lands. */
async function browse(url: URL): Promise<Response> {
  const cookies = new Map<string, string>();
  let next = url;
  for (let hop = 0; hop < 10; hop++) {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(next, { redirect: 'manual', headers: { cookie } });
    for (const set of response.headers.getSetCookie()) {
      const [name, value] = (set.split(';', 1)[0] as string).split('=') as [string, string];
      cookies.set(name, value);
    }
    const location = response.headers.get('location');
    if (location === null) return response;
    await response.body?.cancel();
    next = new URL(location, next);
  }
  throw new Error('too many redirects');
}

describe('loopback driver (command-line sign-in)', () => {
  it('the browser comes back to 127.0.0.1 and the call goes through; the page says it is done', async () => {
    const pages: string[] = [];
    const driver = await loopbackDriver({
      openBrowser: false,
      onUrl: (url) => {
        void browse(url).then(async (page) => pages.push(await page.text()));
      },
    });
    try {
      expect(driver.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const server = await RemoteServer.connect({
        url: `${gateway.url}/mcp/everything`,
        auth: new OAuthClient({ ...driver }),
      });
      expect((await server.callTool('echo', { message: 'cli' })).content[0]?.['text']).toBe('Echo: cli');
      await server.close();
      await expect.poll(() => pages.join('')).toContain('Signed in');
    } finally {
      await driver.close();
    }
  });

  it('only the awaited callback is taken (else 404); timeoutMs passing is an OAuthError; abort rejects', async () => {
    const driver = await loopbackDriver({ openBrowser: false, onUrl: () => undefined, timeoutMs: 200 });
    try {
      expect((await fetch(`${driver.redirectUri}?code=x&state=nobody`)).status).toBe(404);
      const late = await driver
        .authorize(new URL('https://as.example/authorize?state=s1'), {})
        .catch((e: unknown) => e);
      expect(late).toBeInstanceOf(OAuthError);
      expect((late as OAuthError).error).toBe('authorization_timeout');
      const controller = new AbortController();
      const waiting = driver.authorize(new URL('https://as.example/authorize?state=s2'), { signal: controller.signal });
      expect((await fetch(`${driver.redirectUri}?code=x&state=other`)).status).toBe(404);
      controller.abort(new Error('user pressed ctrl-c'));
      await expect(waiting).rejects.toThrow('user pressed ctrl-c');
    } finally {
      await driver.close();
    }
    await expect(fetch(driver.redirectUri)).rejects.toThrow(); // closed: nothing listens any more
  });
});

describe('browser redirect driver (web pages)', () => {
  it('the page leaves; back on it, finishAuthorization (new client, same store) gets the token', async () => {
    const store = new MemoryTokenStore();
    let left: URL | undefined;
    const leaving = new OAuthClient({
      ...browserRedirect({ redirectUri: 'http://127.0.0.1:5173/callback', navigate: (url) => (left = url) }),
      store,
    });
    const controller = new AbortController();
    const abandoned = RemoteServer.connect({
      url: `${gateway.url}/mcp/everything`,
      auth: leaving,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await expect.poll(() => left).toBeDefined();
    controller.abort(new Error('the page unloaded'));
    await abandoned;
    // The last redirect points at the app's page; the "reloaded" page finishes there with a fresh client.
    const landing = await lastRedirect(left!);
    const back = new OAuthClient({ ...browserRedirect({ redirectUri: 'http://127.0.0.1:5173/callback' }), store });
    await back.finishAuthorization(landing);
    const server = await RemoteServer.connect({ url: `${gateway.url}/mcp/everything`, auth: back });
    expect((await server.callTool('echo', { message: 'web' })).content[0]?.['text']).toBe('Echo: web');
    await server.close();
    // A second use of the same callback is refused: the pending authorization is gone.
    await expect(back.finishAuthorization(landing)).rejects.toBeInstanceOf(OAuthError);
  });
});

/** The URL the authorization server finally redirects the browser to (not fetched). */
async function lastRedirect(url: URL): Promise<URL> {
  const driver = headlessDriver({ redirectUri: 'http://127.0.0.1:5173/callback' });
  return new URL(await driver.authorize(url, {}));
}

describe('FileTokenStore', () => {
  it('a sign-in outlives the process: a new client with the same file signs in no more; the file is 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sark-oauth-'));
    const path = join(dir, 'nested', 'tokens.json');
    let signIns = 0;
    const driver = headlessDriver();
    const counting = {
      ...driver,
      authorize: (url: URL, o: { signal?: AbortSignal | undefined }) => (signIns++, driver.authorize(url, o)),
    };
    for (let run = 0; run < 2; run++) {
      const server = await RemoteServer.connect({
        url: `${gateway.url}/mcp/everything`,
        auth: new OAuthClient({ ...counting, store: new FileTokenStore(path) }),
      });
      await server.listTools();
      await server.close();
    }
    expect(signIns).toBe(1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['tokens.json']); // no temporary file left behind
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')) as object).some((key) => key.startsWith('tokens '))).toBe(
      true,
    );
  });

  it('concurrent changes all land (one at a time); a corrupt file is a typed error, not a crash', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sark-oauth-')), 'tokens.json');
    const store = new FileTokenStore(path);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.set(`key ${i}`, { accessToken: `token-${i}`, tokenType: 'Bearer' })),
    );
    for (let i = 0; i < 20; i++)
      expect(await store.get(`key ${i}`)).toEqual({ accessToken: `token-${i}`, tokenType: 'Bearer' });
    writeFileSync(path, '{"half": ');
    await expect(store.get('key 1')).rejects.toBeInstanceOf(OAuthError);
  });
});
