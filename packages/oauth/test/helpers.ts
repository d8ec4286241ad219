import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';

const require = createRequire(import.meta.url);

/** An MCP server from npm, run with this Node over stdio. */
function serverArgs(name: string): string[] {
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = require(manifestPath) as { bin: Record<string, string> | string };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : (Object.values(manifest.bin)[0] as string);
  return [join(dirname(manifestPath), bin), 'stdio'];
}

/** OAuth mode of the dev gateway as the tests use it (the config's `oauth`). */
export interface OAuthModeOptions {
  scopes?: string[];
  toolScopes?: Record<string, string>;
  accessTokenTtlSeconds?: number;
}

/**
 * The dev gateway in OAuth mode — a real authorization server (oidc-provider) beside it — in front of real MCP
 * servers from npm: `everything`, and `memory` too when asked (a second resource behind the same gateway).
 */
export function startOAuthGateway(oauth: OAuthModeOptions = {}, withMemory = false): Promise<DevGateway> {
  const everything = serverArgs('@modelcontextprotocol/server-everything');
  const memory = serverArgs('@modelcontextprotocol/server-memory');
  return startDevGateway({
    config: {
      apiKey: 'rest-api-key',
      oauth,
      servers: [
        { name: 'everything', command: process.execPath, args: everything },
        ...(withMemory ? [{ name: 'memory', command: process.execPath, args: memory }] : []),
      ],
    },
  });
}

/** One HTTP request as a fetch saw it. */
export interface SeenRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string;
}

/** `fetch`, with every request it makes written down (the answer is untouched). */
export function recordingFetch(): { fetch: typeof fetch; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const recording: typeof fetch = async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const body =
      typeof init.body === 'string' ? init.body : init.body instanceof URLSearchParams ? String(init.body) : '';
    seen.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), body });
    return fetch(input, init);
  };
  return { fetch: recording, seen };
}

/** The form fields of a token request body. */
export function form(request: SeenRequest): URLSearchParams {
  return new URLSearchParams(request.body);
}

/** Requests to the authorization server's token endpoint with this grant type. */
export function tokenRequests(seen: readonly SeenRequest[], grantType: string): SeenRequest[] {
  return seen.filter(
    (request) => request.url.pathname.endsWith('/token') && form(request).get('grant_type') === grantType,
  );
}
