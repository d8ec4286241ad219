import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { OAuthClient, OAuthError } from '@sark/oauth';
import { RemoteServer } from '@sark/transport-mcp-http';
import { form, recordingFetch, tokenRequests } from './helpers';

// Machine clients against oidc-provider: clients registered the way an operator would (RFC 7591 at its registration
// endpoint), then the client_credentials grant with each authentication method the server supports.
const gateway = inject('oauthGateway');

async function register(metadata: Record<string, unknown>): Promise<{ client_id: string; client_secret?: string }> {
  const response = await fetch(`${gateway.issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_types: ['client_credentials'], response_types: [], scope: 'mcp:tools', ...metadata }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { client_id: string; client_secret?: string };
}

async function callWith(auth: OAuthClient): Promise<string> {
  const server = await RemoteServer.connect({ url: `${gateway.url}/mcp/everything`, auth });
  try {
    const result = await server.callTool('echo', { message: 'machine' });
    return String(result.content[0]?.['text']);
  } finally {
    await server.close();
  }
}

describe('client credentials', () => {
  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`${method}: a token for the resource, the secret sent the way the client registered`, async () => {
      const client = await register({ token_endpoint_auth_method: method });
      const as = recordingFetch();
      const auth = new OAuthClient({
        grant: 'client_credentials',
        clientId: client.client_id,
        clientSecret: client.client_secret,
        tokenEndpointAuthMethod: method,
        fetch: as.fetch,
      });
      expect(await callWith(auth)).toBe('Echo: machine');
      const [request] = tokenRequests(as.seen, 'client_credentials');
      expect(form(request!).get('resource')).toBe(`${gateway.url}/mcp/everything`);
      expect(form(request!).get('scope')).toBe('mcp:tools');
      if (method === 'client_secret_basic') {
        expect(request!.headers.get('authorization')).toMatch(/^Basic /);
        expect(form(request!).get('client_secret')).toBeNull();
      } else {
        expect(request!.headers.get('authorization')).toBeNull();
        expect(form(request!).get('client_secret')).toBe(client.client_secret);
      }
    });
  }

  it('private_key_jwt: a signed assertion instead of a secret (a PKCS#8 PEM key)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const client = await register({
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), use: 'sig', alg: 'ES256' }] },
    });
    const as = recordingFetch();
    const auth = new OAuthClient({
      grant: 'client_credentials',
      clientId: client.client_id,
      privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      fetch: as.fetch,
    });
    expect(await callWith(auth)).toBe('Echo: machine');
    const [request] = tokenRequests(as.seen, 'client_credentials');
    expect(form(request!).get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(form(request!).get('client_assertion')?.split('.')).toHaveLength(3);
  });

  it('a wrong secret: an OAuthError with the server’s invalid_client, and the secret in no part of it', async () => {
    const client = await register({ token_endpoint_auth_method: 'client_secret_basic' });
    const auth = new OAuthClient({
      grant: 'client_credentials',
      clientId: client.client_id,
      clientSecret: 'wrong-secret-123456',
    });
    const error = await RemoteServer.connect({ url: `${gateway.url}/mcp/everything`, auth }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).error).toBe('invalid_client');
    const shown = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
    expect(shown).not.toContain('wrong-secret-123456');
  });
});
