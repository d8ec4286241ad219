import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayHttpError, TimeoutError, type Logger } from '@sark/core';
import { OAuthClient, OAuthError, headlessDriver } from '@sark/oauth';
import { RemoteServer } from '@sark/transport-mcp-http';
import { hostileServer, sendJson, type SeenRequest } from '@sark/test-support/hostile-server';

// Authorization servers and resource servers that lie, flood, stall or loop: every one ends in a typed error, on
// time, with nothing sent where it must not go and no secret in any error or log line.
const servers: { close(): Promise<void> }[] = [];
afterEach(() => Promise.all(servers.splice(0).map((server) => server.close())));

type Route = (request: SeenRequest, res: ServerResponse, base: string) => void | Promise<void>;

/** One origin playing the MCP server (401 first) and its authorization server, as the routes say. */
async function peer(routes: Record<string, Route>) {
  let base = '';
  const server = await hostileServer(async (request, res) => {
    const path = request.url.split('?')[0] as string;
    const route = routes[`${request.method} ${path}`];
    if (route) return route(request, res, base);
    if (path === '/mcp') {
      return sendJson(
        res,
        401,
        { error: 'invalid_token' },
        {
          'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
        },
      );
    }
    return sendJson(res, 404, { error: 'not_found' });
  });
  base = server.url;
  servers.push(server);
  return server;
}

const resourceMetadata: Route = (_request, res, base) =>
  sendJson(res, 200, { resource: `${base}/mcp`, authorization_servers: [base] });

function metadata(base: string, extra: Record<string, unknown> = {}) {
  return {
    issuer: base,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    registration_endpoint: `${base}/register`,
    code_challenge_methods_supported: ['S256'],
    ...extra,
  };
}

/** An authorization server that approves at once, and whose token endpoint answers as `token` says. */
function approving(token: Route, extra: Record<string, unknown> = {}): Record<string, Route> {
  return {
    'GET /.well-known/oauth-protected-resource/mcp': resourceMetadata,
    'GET /.well-known/oauth-authorization-server': (_r, res, base) => sendJson(res, 200, metadata(base, extra)),
    'POST /register': (_r, res) =>
      sendJson(res, 201, { client_id: 'client-1', client_secret: 'registered-secret-xyz' }),
    'GET /authorize': (request, res) => {
      const query = new URL(request.url, 'http://x').searchParams;
      const back = new URL(query.get('redirect_uri') as string);
      back.searchParams.set('code', 'code-abcdef-123456');
      back.searchParams.set('state', query.get('state') as string);
      res.writeHead(302, { location: back.href }).end();
    },
    'POST /token': token,
  };
}

function capturingLogger(lines: string[]): Logger {
  const log = (...args: unknown[]) => void lines.push(JSON.stringify(args));
  return { trace: log, debug: log, info: log, warn: log, error: log, fatal: log } as unknown as Logger;
}

const form = (request: SeenRequest) => new URLSearchParams(request.body);

async function connectError(url: string, auth: OAuthClient): Promise<unknown> {
  return RemoteServer.connect({ url, auth, requestTimeoutMs: 10_000 }).catch((e: unknown) => e);
}

describe('hostile authorization and resource servers', () => {
  it('protected-resource metadata of 1 MB: refused at the bound, typed', async () => {
    const server = await peer({
      'GET /.well-known/oauth-protected-resource/mcp': (_r, res) =>
        sendJson(res, 200, { resource: 'x', padding: 'x'.repeat(1024 * 1024) }),
    });
    const error = await connectError(`${server.url}/mcp`, new OAuthClient({ ...headlessDriver() }));
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).error).toBe('response_too_large');
  });

  it('metadata that never ends: the download stops at the bound', async () => {
    const server = await peer({
      'GET /.well-known/oauth-protected-resource/mcp': (_r, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        pump();
      },
    });
    const error = await connectError(`${server.url}/mcp`, new OAuthClient({ ...headlessDriver() }));
    expect((error as OAuthError).error).toBe('response_too_large');
  });

  it('an authorization server that never answers: a TimeoutError after timeoutMs', async () => {
    const server = await peer({
      'GET /.well-known/oauth-protected-resource/mcp': resourceMetadata,
      'GET /.well-known/oauth-authorization-server': () => undefined, // never answers
    });
    const started = Date.now();
    const error = await connectError(`${server.url}/mcp`, new OAuthClient({ ...headlessDriver(), timeoutMs: 300 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(5_000); // the alternative is waiting forever
  });

  it('metadata for another resource: refused before anything is asked of an authorization server', async () => {
    const server = await peer({
      'GET /.well-known/oauth-protected-resource/mcp': (_r, res, base) =>
        sendJson(res, 200, { resource: 'https://evil.example/mcp', authorization_servers: [base] }),
    });
    const error = await connectError(`${server.url}/mcp`, new OAuthClient({ ...headlessDriver() }));
    expect((error as OAuthError).error).toBe('resource_mismatch');
    expect(server.requests.map((request) => request.url)).not.toContain('/.well-known/oauth-authorization-server');
  });

  it('authorization server metadata naming another issuer: refused, nothing registered', async () => {
    const server = await peer({
      ...approving(() => undefined),
      'GET /.well-known/oauth-authorization-server': (_r, res, base) =>
        sendJson(res, 200, metadata(base, { issuer: 'https://evil.example' })),
    });
    const error = await connectError(`${server.url}/mcp`, new OAuthClient({ ...headlessDriver() }));
    expect((error as OAuthError).error).toBe('issuer_mismatch');
    expect(server.requests.some((request) => request.url === '/register')).toBe(false);
  });

  it('endpoints over plain http on another host: refused (https, or http on loopback only)', async () => {
    const server = await peer({
      ...approving(() => undefined),
      'GET /.well-known/oauth-authorization-server': (_r, res, base) =>
        sendJson(res, 200, metadata(base, { token_endpoint: 'http://tokens.example/token' })),
    });
    const error = await connectError(`${server.url}/mcp`, new OAuthClient({ ...headlessDriver() }));
    expect(error).toBeInstanceOf(OAuthError);
    expect(['insecure_url', 'no_metadata']).toContain((error as OAuthError).error);
  });

  it('a token answer that is not JSON, or a token of a type not asked for: typed errors', async () => {
    for (const [answer, code] of [
      [
        (_r: SeenRequest, res: ServerResponse) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{');
        },
        'invalid_response',
      ],
      [
        (_r: SeenRequest, res: ServerResponse) =>
          sendJson(res, 200, { access_token: 'at-123456789', token_type: 'mac' }),
        'unsupported_token_type',
      ],
    ] as const) {
      const server = await peer(approving(answer));
      const error = await connectError(`${server.url}/mcp`, new OAuthClient({ ...headlessDriver() }));
      expect(error).toBeInstanceOf(OAuthError);
      expect([code, 'invalid_response']).toContain((error as OAuthError).error);
    }
  });

  it('an error answer quoting our secrets: the OAuthError and the log carry none of them', async () => {
    const lines: string[] = [];
    const server = await peer(
      approving((request, res) =>
        sendJson(res, 400, {
          error: 'invalid_grant',
          error_description: `bad code ${form(request).get('code')} for ${request.headers.authorization}`,
        }),
      ),
    );
    const error = await connectError(
      `${server.url}/mcp`,
      new OAuthClient({ ...headlessDriver(), logger: capturingLogger(lines) }),
    );
    expect((error as OAuthError).error).toBe('invalid_grant');
    const shown = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack} ${lines.join('\n')}`;
    expect(shown).not.toContain('code-abcdef-123456');
    expect(shown).not.toContain('registered-secret-xyz');
    expect(shown).not.toContain(Buffer.from('client-1:registered-secret-xyz').toString('base64'));
  });

  it('a resource server that refuses every token: at most 3 sign-ins for the request, then its 401', async () => {
    let signIns = 0;
    const server = await peer({
      ...approving((_r, res) =>
        sendJson(res, 200, { access_token: `token-${++signIns}-abcdef`, token_type: 'Bearer', expires_in: 3600 }),
      ),
    });
    const error = await connectError(`${server.url}/mcp`, new OAuthClient({ ...headlessDriver() }));
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect((error as GatewayHttpError).status).toBe(401);
    expect(signIns).toBeLessThanOrEqual(3);
    expect(server.requests.filter((request) => request.url === '/mcp').length).toBeLessThanOrEqual(4);
  });

  it('a second authorization server is tried when the first publishes no metadata', async () => {
    const other = await peer(approving(() => undefined));
    const server = await peer({
      ...approving((_r, res) => sendJson(res, 200, { access_token: 'token-from-second', token_type: 'Bearer' })),
      'GET /.well-known/oauth-protected-resource/mcp': (_r, res, base) =>
        sendJson(res, 200, { resource: `${base}/mcp`, authorization_servers: [`${other.url}/nothing-here`, base] }),
    });
    const error = await connectError(`${server.url}/mcp`, new OAuthClient({ ...headlessDriver() }));
    // The hostile resource server refuses even the good token; what matters is where the token came from.
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect(server.requests.some((request) => request.url === '/token')).toBe(true);
    expect(other.requests.some((request) => request.url.startsWith('/.well-known/'))).toBe(true);
  });
});
