import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkFunction, checkInteger, checkOptionsObject, checkPositive } from '@sark/core/internal';
import type { AuthorizeUser } from '../oauth-client';
import { OAuthError } from '../oauth-error';

/** Options of {@link loopbackDriver}. */
export interface LoopbackDriverOptions {
  /** The port of `http://127.0.0.1:<port>/callback`. Default 0: a free one (each run registers its own). */
  port?: number | undefined;
  /** Open the system's browser at the authorization URL. Default true. */
  openBrowser?: boolean | undefined;
  /** Hears the authorization URL (to print it: the browser may not open). Default: written to stderr. */
  onUrl?: ((url: URL) => void) | undefined;
  /** How long the user may take. Default 300 000 (5 minutes). */
  timeoutMs?: number | undefined;
}

/** A running loopback driver: give `redirectUri` and `authorize` to `OAuthClient`, `close()` when done. */
export interface LoopbackDriver {
  readonly redirectUri: string;
  readonly authorize: AuthorizeUser;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const PAGE = (text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>SARK sign-in</title><p style="font:16px sans-serif">${text}</p>`;

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // no browser here: the printed URL is the way
    child.unref();
  } catch {
    // the printed URL is the way
  }
}

/**
 * The driver for command-line tools (RFC 8252 §7.3): a listener on `127.0.0.1` (never another interface) receives
 * the browser at `/callback`; the authorization URL is printed and opened in the system's browser where there is one.
 * One authorization at a time; anything else reaching the listener gets `404`.
 */
export async function loopbackDriver(options: LoopbackDriverOptions = {}): Promise<LoopbackDriver> {
  checkOptionsObject(options, 'loopbackDriver');
  const port = checkInteger(options.port ?? 0, 'port', 0);
  const timeoutMs = checkPositive(options.timeoutMs ?? 300_000, 'timeoutMs');
  const onUrl = checkFunction(
    options.onUrl ?? ((url: URL) => process.stderr.write(`Sign in at: ${url.href}\n`)),
    'onUrl',
  );
  const openBrowser = options.openBrowser ?? true;
  let waiting: { state: string; resolve: (url: URL) => void } | null = null;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const state = url.searchParams.get('state');
    if (req.method !== 'GET' || url.pathname !== '/callback' || waiting === null || state !== waiting.state) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Nothing is waiting here.'));
      return;
    }
    const failed = url.searchParams.has('error');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(
        PAGE(
          failed ? 'Sign-in was not completed. You can close this window.' : 'Signed in. You can close this window.',
        ),
      );
    const { resolve } = waiting;
    waiting = null;
    resolve(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url ?? ''}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  server.unref();
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;

  const authorize: AuthorizeUser = (url, { signal }) => {
    if (waiting !== null) {
      return Promise.reject(
        new OAuthError({ error: 'authorization_pending', message: 'A sign-in is already waiting' }),
      );
    }
    const state = url.searchParams.get('state') ?? '';
    return new Promise<URL>((resolve, reject) => {
      const stop = (error: unknown): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiting = null;
        reject(error);
      };
      const onAbort = (): void => stop(signal?.reason);
      const timer = setTimeout(
        () => stop(new OAuthError({ error: 'authorization_timeout', message: `No sign-in within ${timeoutMs} ms` })),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting = {
        state,
        resolve: (callback) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(callback);
        },
      };
      onUrl(url);
      if (openBrowser) openInBrowser(url.href);
    });
  };
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { redirectUri, authorize, close, [Symbol.asyncDispose]: close };
}
