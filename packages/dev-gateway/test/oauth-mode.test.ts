import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { CRASHY } from './helpers';

// The OAuth mode as an MCP client sees it on the wire (the flow itself, against oidc-provider, is tested by
// @sark/oauth): the 401 challenge, RFC 9728 metadata per server and for the REST API, RFC 8414 metadata, tokens
// checked for their resource, the API key still good for REST and never for MCP.
let gateway: DevGateway;
beforeAll(async () => {
  gateway = await startDevGateway({
    config: {
      apiKey: 'key-123456',
      oauth: { scopes: ['mcp:tools'], toolScopes: { 'crashy/crash': 'mcp:admin' } },
      servers: [{ name: 'crashy', command: process.execPath, args: [CRASHY] }],
    },
  });
}, 60_000);
afterAll(() => gateway?.close());

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});
const post = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: initialize,
  });

describe('dev gateway OAuth mode', () => {
  it('/mcp/{server} without a token: 401 with the challenge pointing at its own metadata and scope', async () => {
    const response = await post('/mcp/crashy');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${gateway.url}/.well-known/oauth-protected-resource/mcp/crashy", scope="mcp:tools"`,
    );
    // The API key is no credential for the MCP endpoints in this mode.
    expect((await post('/mcp/crashy', { 'x-api-key': 'key-123456' })).status).toBe(401);
    // A token that is not one of the authorization server's: 401 with error="invalid_token".
    const forged = await post('/mcp/crashy', { authorization: 'Bearer forged-token-value' });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('metadata: per server and for the REST API (RFC 9728), and the authorization server’s (RFC 8414)', async () => {
    const server = await (await fetch(`${gateway.url}/.well-known/oauth-protected-resource/mcp/crashy`)).json();
    expect(server).toEqual({
      resource: `${gateway.url}/mcp/crashy`,
      authorization_servers: [gateway.issuer],
      scopes_supported: ['mcp:tools'],
      bearer_methods_supported: ['header'],
    });
    const rest = (await (await fetch(`${gateway.url}/.well-known/oauth-protected-resource`)).json()) as {
      resource: string;
    };
    expect(rest.resource).toBe(gateway.url);
    expect((await fetch(`${gateway.url}/.well-known/oauth-protected-resource/mcp/nobody`)).status).toBe(404);
    const as = (await (await fetch(`${gateway.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(as['issuer']).toBe(gateway.issuer);
    expect(as['code_challenge_methods_supported']).toContain('S256');
    expect(as['registration_endpoint']).toBe(`${gateway.issuer}/reg`);
  });

  it('browser apps may register: /reg answers a CORS preflight and allows the page on the registration', async () => {
    const preflight = await fetch(`${gateway.issuer}/reg`, {
      method: 'OPTIONS',
      headers: { origin: 'http://page.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://page.example');
    const registration = await fetch(`${gateway.issuer}/reg`, {
      method: 'POST',
      headers: { origin: 'http://page.example', 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:5173/'], token_endpoint_auth_method: 'none' }),
    });
    expect(registration.status).toBe(201);
    expect(registration.headers.get('access-control-allow-origin')).toBe('http://page.example');
  });

  it('REST: the API key still works; without it, a 401 challenge for the gateway itself', async () => {
    expect((await fetch(`${gateway.url}/api/v1/servers`, { headers: { 'x-api-key': 'key-123456' } })).status).toBe(200);
    const refused = await fetch(`${gateway.url}/api/v1/servers`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain(
      `resource_metadata="${gateway.url}/.well-known/oauth-protected-resource"`,
    );
  });

  it('a machine client’s token for one server works there only; a tool scope it lacks is a 403', async () => {
    const registration = (await (
      await fetch(`${gateway.issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_types: ['client_credentials'],
          response_types: [],
          scope: 'mcp:tools',
          token_endpoint_auth_method: 'client_secret_basic',
        }),
      })
    ).json()) as { client_id: string; client_secret: string };
    const token = await fetch(`${gateway.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa(`${registration.client_id}:${registration.client_secret}`)}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'mcp:tools',
        resource: `${gateway.url}/mcp/crashy`,
      }),
    });
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const ok = await post('/mcp/crashy', { authorization: `Bearer ${accessToken}` });
    expect(ok.status).toBe(200);
    const session = ok.headers.get('mcp-session-id') as string;
    // The REST API is another resource: the token is not good there.
    expect(
      (await fetch(`${gateway.url}/api/v1/servers`, { headers: { authorization: `Bearer ${accessToken}` } })).status,
    ).toBe(401);
    const crash = await fetch(`${gateway.url}/mcp/crashy`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${accessToken}`,
        'mcp-session-id': session,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'crash', arguments: {} } }),
    });
    expect(crash.status).toBe(403);
    expect(crash.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="mcp:tools mcp:admin"');
  });

  it('the CLI’s --oauth turns it on and prints where the authorization server is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sark-oauth-cli-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ servers: [{ name: 'crashy', command: process.execPath, args: [CRASHY] }] }));
    const cli = fileURLToPath(new URL('../bin/sark-dev-gateway.js', import.meta.url));
    const child = spawn(process.execPath, [cli, '--config', file, '--port', '0', '--oauth'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await expect.poll(() => /OAuth authorization server at (http:\/\/\S+)/.exec(out)?.[1]).toBeTruthy();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1] as string;
      expect((await fetch(`${url}/.well-known/oauth-protected-resource/mcp/crashy`)).status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
