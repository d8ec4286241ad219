import { describe, expect, it } from 'vitest';
import { GatewayConfigError, GatewayNetworkError, PermissionDeniedError, PolicyEvaluationError } from '@sark/core';
import { MAX_OPA_RESPONSE_BYTES, OPAClient } from '@sark/opa';
import { inEdge, openClient } from './support/open-client';
import { scenario } from '@sark/test-support/scenario';

// Bodies exactly as a real OPA server (1.x) sends them (WIRE.md §4).
const OPA = {
  allowTrue: '{"result":true}',
  allowFalse: '{"result":false}',
  objectAllow:
    '{"decision_id":"4ca636c1-55e4-417a-b1d8-4aceb67960d1","result":{"allow":true,' +
    '"filtered_parameters":{"query":"SELECT 1"},"reason":"Allowed: analyst may use execute_query"}}',
  objectDenyAudit: '{"result":{"allow":false,"audit_reason":"Denied: analysts may only run SELECT queries"}}',
  undefined: '{}',
  undefinedWithId: '{"decision_id":"0d9e3f4a-77c1-4f26-a8a5-0f1f1f1f1f1f"}',
  emptyFiltered: '{"result":{"allow":true,"filtered_parameters":{}}}',
  badRequest: '{"code":"invalid_parameter","message":"error(s) occurred while parsing query"}',
  health: '{}',
};

async function opaAnswering(raw: string, extra: { status?: number; delayMs?: number } = {}) {
  const stub = await scenario({
    routes: [
      { method: 'POST', path: '/v1/data/mcp/gateway', raw, headers: { 'content-type': 'application/json' }, ...extra },
      { path: '/health', raw: OPA.health, headers: { 'content-type': 'application/json' } },
    ],
  });
  const client = await openClient({ opaUrl: stub.gatewayUrl });
  return { stub, client };
}

const input = {
  user: { id: 'alice', roles: ['analyst'] },
  server_name: 'postgres-mcp',
  tool_name: 'execute_query',
  parameters: { query: 'SELECT 1', password: 'pw' },
};

describe(`OPAClient (${inEdge ? 'fetch, edge-runtime' : 'undici, node'})`, () => {
  it('POSTs {"input": …} to /v1/data/{policyPath}', async () => {
    const { stub, client } = await opaAnswering(OPA.allowTrue);
    await client.evaluate(input);
    const [request] = await stub.requests();
    expect(request).toMatchObject({ method: 'POST', path: '/v1/data/mcp/gateway' });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ input });
  });

  it.each([
    ['boolean true', OPA.allowTrue, { allow: true, decisionId: null }],
    ['boolean false', OPA.allowFalse, { allow: false, reason: 'Denied: insufficient permissions' }],
    [
      'object with reason, filtered parameters and decision id',
      OPA.objectAllow,
      {
        allow: true,
        reason: 'Allowed: analyst may use execute_query',
        filteredParameters: { query: 'SELECT 1' },
        decisionId: '4ca636c1-55e4-417a-b1d8-4aceb67960d1',
      },
    ],
    [
      'object falling back to audit_reason',
      OPA.objectDenyAudit,
      { allow: false, reason: 'Denied: analysts may only run SELECT queries' },
    ],
    [
      'undefined (no result)',
      OPA.undefined,
      { allow: false, reason: 'Denied: policy undefined for this input', decisionId: null },
    ],
    [
      'undefined with a decision id',
      OPA.undefinedWithId,
      { allow: false, decisionId: '0d9e3f4a-77c1-4f26-a8a5-0f1f1f1f1f1f' },
    ],
    ['empty filtered parameters', OPA.emptyFiltered, { allow: true, filteredParameters: {} }],
  ])('maps %s', async (_name, raw, expected) => {
    const { client } = await opaAnswering(raw);
    expect(await client.evaluate(input)).toMatchObject(expected);
  });

  it.each([
    ['HTTP 400', OPA.badRequest, { status: 400 }, 'OPA answered HTTP 400'],
    ['HTTP 500', '{"code":"internal_error","message":"boom"}', { status: 500 }, 'OPA answered HTTP 500'],
    ['a non-JSON body', '<html>proxy error</html>', {}, 'not JSON'],
    ['a result of the wrong type', '{"result":"yes"}', {}, 'invalid decision'],
  ])('%s is a PolicyEvaluationError (fail closed)', async (_name, raw, extra, message) => {
    const { client } = await opaAnswering(raw, extra);
    const error = await client.evaluate(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyEvaluationError);
    expect((error as Error).message).toContain(message);
  });

  it('a timeout is a PolicyEvaluationError and the request is abandoned', async () => {
    const stub = await scenario({
      routes: [{ method: 'POST', path: '/v1/data/mcp/gateway', raw: OPA.allowTrue, delayMs: 3000 }],
    });
    const fast = await openClient({ opaUrl: stub.gatewayUrl, timeoutMs: 100 });
    const error = await fast.evaluate(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyEvaluationError);
    expect((error as Error).message).toContain('no answer within 100 ms');
    await expect.poll(async () => (await stub.requests())[0]?.aborted).toBe(true);
  });

  it('connection refused is a PolicyEvaluationError; health reports it', async () => {
    const client = await openClient({ opaUrl: 'http://127.0.0.1:9' });
    await expect(client.evaluate(input)).rejects.toBeInstanceOf(PolicyEvaluationError);
    await expect(client.health()).resolves.toMatchObject({ healthy: false });
  });

  it('connection refused names the cause: a GatewayNetworkError from transport-http’s client', async () => {
    const client = await openClient({ opaUrl: 'http://127.0.0.1:9' });
    const error = (await client.evaluate(input).catch((e: unknown) => e)) as PolicyEvaluationError;
    expect(error.message).toMatch(
      /^OPA could not be asked \(POST http:\/\/127\.0\.0\.1:9\/v1\/data\/mcp\/gateway failed: .+\); denying$/,
    );
    expect(error.cause).toBeInstanceOf(GatewayNetworkError);
  });

  it('an endless answer is abandoned past 1 MiB and denied; a connection cut mid-answer is denied', async () => {
    const endless = await scenario({
      routes: [{ method: 'POST', path: '/v1/data/mcp/gateway', streamBytes: 64 * 1024 * 1024 }],
    });
    const client = await openClient({ opaUrl: endless.gatewayUrl });
    const error = await client.evaluate(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyEvaluationError);
    expect((error as Error).message).toBe(`OPA answered with more than ${MAX_OPA_RESPONSE_BYTES} bytes; denying`);
    await expect.poll(async () => (await endless.requests())[0]?.aborted).toBe(true);
    expect((await endless.requests())[0]?.bytesWritten).toBeLessThan(16 * 1024 * 1024);

    const cut = await scenario({ routes: [{ method: 'POST', path: '/v1/data/mcp/gateway', closeMidBody: true }] });
    const cutClient = await openClient({ opaUrl: cut.gatewayUrl });
    await expect(cutClient.evaluate(input)).rejects.toBeInstanceOf(PolicyEvaluationError);
  });

  it('health: GET /health answering {}', async () => {
    const { client, stub } = await opaAnswering(OPA.allowTrue);
    await expect(client.health()).resolves.toMatchObject({ healthy: true });
    expect((await stub.requests()).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health']);
  });

  it('authorizeInvocation: denial → PermissionDeniedError (reason, decision id); no token by default', async () => {
    const raw = '{"decision_id":"d-77","result":{"allow":false,"reason":"Denied: insufficient permissions"}}';
    const { client, stub } = await opaAnswering(raw);
    const token = jwt({ sub: 'bob', roles: ['guest'] });
    const error = (await client
      .authorizeInvocation({ userToken: token, serverName: 's', toolName: 't', parameters: { a: 1 } })
      .catch((e: unknown) => e)) as PermissionDeniedError;
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ reason: 'Denied: insufficient permissions', decisionId: 'd-77' });
    const sent = JSON.parse((await stub.requests())[0]?.body ?? '') as { input: Record<string, unknown> };
    expect(sent.input['token']).toBeUndefined();
    expect(sent.input['user']).toEqual({ id: 'bob', email: null, roles: ['guest'], teams: [] });
  });

  it('includeToken puts the raw token into the input', async () => {
    const stub = await scenario({ routes: [{ method: 'POST', path: '/v1/data/mcp/gateway', raw: OPA.allowTrue }] });
    const client = await openClient({ opaUrl: stub.gatewayUrl, includeToken: true });
    const token = jwt({ sub: 'carol' });
    await client.authorizeInvocation({ userToken: token, serverName: 's', toolName: 't' });
    expect(JSON.parse((await stub.requests())[0]?.body ?? '').input.token).toBe(token);
  });

  it('decision cache: hits, expiry by cache_ttl, no sharing between users', async () => {
    const stub = await scenario({
      routes: [{ method: 'POST', path: '/v1/data/mcp/gateway', raw: '{"result":{"allow":true,"cache_ttl":0.2}}' }],
    });
    const client = await openClient({ opaUrl: stub.gatewayUrl, decisionCache: true });
    const alice = jwt({ sub: 'alice', roles: ['admin'] });
    const bob = jwt({ sub: 'bob', roles: ['admin'] });
    await client.authorizeInvocation({ userToken: alice, serverName: 's', toolName: 't' });
    // hit despite a new request id
    await client.authorizeInvocation({ userToken: alice, serverName: 's', toolName: 't' });
    await client.authorizeInvocation({ userToken: bob, serverName: 's', toolName: 't' });
    expect(await stub.requests()).toHaveLength(2);
    expect(client.getMetrics()).toMatchObject({ decisionCacheHits: 1, decisionCacheMisses: 2 });
    // Hits until the 0.2 s cache_ttl runs out, then exactly one new request.
    await expect
      .poll(
        async () => {
          await client.authorizeInvocation({ userToken: alice, serverName: 's', toolName: 't' });
          return (await stub.requests()).length;
        },
        { interval: 20 },
      )
      .toBe(3);
    expect(client.getMetrics().decisionCacheHits).toBeGreaterThan(1);
  });
});

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;
}

describe('OPAClient options', () => {
  it.each<[string, unknown, string]>([
    ['options null', null, 'OPAClient: options: must be an object, got null'],
    ['an opaUrl that is not http(s)', { opaUrl: 'file:///etc/opa' }, 'opaUrl: only http and https are supported'],
    ['a policyPath that is not a package path', { policyPath: '../admin' }, 'is not a package path'],
    ['headers a string', { headers: 'authorization: x' }, 'headers: must be an object, got a string'],
    ['a header name with a space', { headers: { 'x token': 'v' } }, 'not a valid HTTP header name'],
    ['decisionCache a number', { decisionCache: 60 }, 'decisionCache: must be an object, got 60'],
    ['a decision ttl of 0', { decisionCache: { decisionCacheTtlMs: 0 } }, 'decisionCache.decisionCacheTtlMs'],
    ['a decision cache of no entries', { decisionCache: { maxEntries: 0 } }, 'decisionCache.maxEntries'],
  ])('%s is a GatewayConfigError naming it', (_what, options, message) => {
    expect(() => new OPAClient(options as never)).toThrow(GatewayConfigError);
    expect(() => new OPAClient(options as never)).toThrow(message);
  });
});
