import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PermissionDeniedError, PolicyEvaluationError, jsonObjectSnapshot } from '@sark/core';
import { DecisionCache, authorize, decisionCacheKey, localPolicy, toDecision, type LocalPolicyResult } from '@sark/opa';
import { inEdge, openClient } from './support/open-client';
import { scenario } from '@sark/test-support/scenario';

const DECIDE = '/v1/data/mcp/gateway';

describe(`OPA: no request leaves the configured origin (${inEdge ? 'fetch' : 'undici'})`, () => {
  it('a redirect to another origin is a denial and is not followed', async () => {
    const stub = await scenario();
    // Same stub, another origin (localhost vs 127.0.0.1): a followed redirect would show up as a second request.
    const elsewhere = `${stub.gatewayUrl.replace('127.0.0.1', 'localhost')}${DECIDE}`;
    const redirecting = await scenario({
      routes: [{ method: 'POST', path: DECIDE, status: 307, headers: { location: elsewhere }, raw: '' }],
    });
    const client = await openClient({
      opaUrl: redirecting.gatewayUrl,
      headers: { authorization: 'Bearer opa-secret-token-123' },
    });
    const error = await client.evaluate({ user: { id: 'alice' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyEvaluationError);
    expect((error as Error).message).toContain('OPA answered HTTP 307 (redirects are not followed)');
    expect(await redirecting.requests()).toHaveLength(1);
    expect(await stub.requests()).toHaveLength(0);
  });
});

describe('the decision cache is only reused for the same input of the same user', () => {
  it('values that serialise differently never share a decision (URL, Date, nested data)', async () => {
    const stub = await scenario({ routes: [{ method: 'POST', path: DECIDE, raw: '{"result":{"allow":true}}' }] });
    const client = await openClient({ opaUrl: stub.gatewayUrl, decisionCache: true });
    await client.authorizeInvocation({
      serverName: 's',
      toolName: 'fetch',
      parameters: { url: new URL('https://allowed.example/report') },
    });
    await client.authorizeInvocation({
      serverName: 's',
      toolName: 'fetch',
      parameters: { url: new URL('https://evil.example/x') },
    });
    await client.authorizeInvocation({
      serverName: 's',
      toolName: 'fetch',
      parameters: { url: new URL('https://allowed.example/report') },
    });
    const sent = (await stub.requests()).map(
      (r) => (JSON.parse(r.body) as { input: { parameters: { url: string } } }).input.parameters.url,
    );
    expect(sent).toEqual(['https://allowed.example/report', 'https://evil.example/x']);
  });

  it('a user the input does not name still never gets another user’s decision', async () => {
    const stub = await scenario({ routes: [{ method: 'POST', path: DECIDE, raw: '{"result":{"allow":true}}' }] });
    const client = await openClient({
      opaUrl: stub.gatewayUrl,
      decisionCache: true,
      inputBuilder: (request) => ({ tool: request.toolName, parameters: request.parameters ?? {} }),
    });
    await client.authorizeInvocation({ userToken: 'token-of-alice-000', serverName: 's', toolName: 't' });
    await client.authorizeInvocation({ userToken: 'token-of-mallory-0', serverName: 's', toolName: 't' });
    await client.authorizeInvocation({ userToken: 'token-of-alice-000', serverName: 's', toolName: 't' });
    expect(await stub.requests()).toHaveLength(2);
  });

  it('property: two inputs share a cache entry exactly when they are the same JSON data and the same user', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.boolean(),
        (a, b, sameUser) => {
          const cache = new DecisionCache();
          const x = jsonObjectSnapshot(a, 'a');
          const y = jsonObjectSnapshot(b, 'b');
          cache.set(decisionCacheKey(x, 'alice'), toDecision(true));
          const hit = cache.get(decisionCacheKey(y, sameUser ? 'alice' : 'bob'));
          const same = JSON.stringify(sortDeep(x)) === JSON.stringify(sortDeep(y));
          expect(hit !== undefined).toBe(same && sameUser);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a local policy cannot silently skip its filter', () => {
  const input = { parameters: { query: 'SELECT 1', password: 'hunter2' } };
  const filtered = { query: 'SELECT 1' };

  it.each<[string, LocalPolicyResult]>([
    ['filteredParameters (TypeScript spelling)', { allow: true, filteredParameters: filtered }],
    ['filtered_parameters (OPA spelling)', { allow: true, filtered_parameters: filtered }],
    [
      'both spellings, agreeing',
      { allow: true, filteredParameters: filtered, filtered_parameters: { query: 'SELECT 1' } },
    ],
  ])('%s filters', async (_name, result) => {
    const decision = await authorize(
      localPolicy(() => result),
      input,
    );
    expect(decision.filteredParameters).toEqual(filtered);
  });

  it.each<[string, unknown]>([
    ['a misspelt filter key', { allow: true, filtered_params: filtered }],
    ['an unknown key', { allow: true, filterParameters: filtered }],
    ['spellings that disagree', { allow: true, filteredParameters: filtered, filtered_parameters: input.parameters }],
    ['a filter that is not JSON data', { allow: true, filteredParameters: { n: 1n } }],
  ])('%s is a denial (fail closed)', async (_name, result) => {
    const error = await authorize(
      localPolicy(() => result as LocalPolicyResult),
      input,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyEvaluationError);
  });

  it('the filter is copied: changing the returned object later changes nothing', async () => {
    const live: Record<string, unknown> = { query: 'SELECT 1' };
    const decision = await authorize(
      localPolicy(() => ({ allow: true, filteredParameters: live })),
      input,
    );
    live['query'] = 'DROP TABLE users';
    expect(decision.filteredParameters).toEqual({ query: 'SELECT 1' });
    expect(Object.isFrozen(decision.filteredParameters)).toBe(true);
  });

  it('the policy sees a frozen input: it cannot rewrite what is sent', async () => {
    const error = await authorize(
      localPolicy((doc) => {
        (doc['parameters'] as Record<string, unknown>)['query'] = 'DROP TABLE users';
        return true;
      }),
      input,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyEvaluationError);
    await expect(
      authorize(
        localPolicy(() => false),
        input,
      ),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
  });
});

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (typeof value !== 'object' || value === null) return value;
  return Object.keys(value)
    .sort()
    .map((key) => [key, sortDeep((value as Record<string, unknown>)[key])]);
}
