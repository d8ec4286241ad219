import { describe, expect, it } from 'vitest';
import { PermissionDeniedError, PolicyEvaluationError } from '@sark/core';
import { authorize, buildInvocationInput, decodeJwtClaims, localPolicy, sarkExamplePolicy } from '@sark/opa';

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  return `${encode({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${encode(claims)}.sig-not-checked`;
}

describe('default input document', () => {
  it('maps a real-looking JWT to user fields; no token unless asked', () => {
    const token = jwt({
      sub: 'u-42',
      email: 'ana@example.com',
      roles: ['analyst'],
      groups: ['data'],
      exp: 1999999999,
      iss: 'https://idp',
    });
    const input = buildInvocationInput(
      { userToken: token, serverName: 'postgres-mcp', toolName: 'execute_query', parameters: { query: 'SELECT 1' } },
      { requestId: 'r-1', now: new Date('2026-11-24T10:00:00Z') },
    );
    expect(input).toEqual({
      user: { id: 'u-42', email: 'ana@example.com', roles: ['analyst'], teams: ['data'] },
      action: 'gateway:tool:invoke',
      server_name: 'postgres-mcp',
      tool_name: 'execute_query',
      parameters: { query: 'SELECT 1' },
      server: { name: 'postgres-mcp' },
      tool: { name: 'execute_query', parameters: { query: 'SELECT 1' } },
      context: { timestamp: '2026-11-24T10:00:00.000Z', request_id: 'r-1' },
    });
    expect(
      buildInvocationInput({ userToken: token, serverName: 's', toolName: 't' }, { includeToken: true })['token'],
    ).toBe(token);
  });

  it('decodes UTF-8 claims and survives garbage', () => {
    expect(decodeJwtClaims(jwt({ sub: 'zoë', teams: ['ops'] }))).toEqual({ sub: 'zoë', teams: ['ops'] });
    expect(decodeJwtClaims('not-a-jwt')).toEqual({});
    expect(decodeJwtClaims('a.!!!.c')).toEqual({});
    expect(decodeJwtClaims(undefined)).toEqual({});
  });
});

describe('the SARK example policy as a localPolicy (14 cases)', () => {
  const policy = localPolicy(sarkExamplePolicy);
  const cases: [string, string[], string, string, Record<string, unknown>, boolean][] = [
    ['admin DROP allowed', ['admin'], 'postgres-mcp', 'execute_query', { query: 'DROP TABLE users' }, true],
    ['admin anything allowed', ['admin'], 'github-mcp', 'delete_repo', {}, true],
    ['analyst SELECT allowed', ['analyst'], 'postgres-mcp', 'execute_query', { query: 'SELECT * FROM t' }, true],
    ['analyst lower-case select allowed', ['analyst'], 'postgres-mcp', 'execute_query', { query: '  select 1' }, true],
    ['analyst DROP denied', ['analyst'], 'postgres-mcp', 'execute_query', { query: 'DROP TABLE t' }, false],
    ['analyst list_tables allowed', ['analyst'], 'postgres-mcp', 'list_tables', {}, true],
    ['analyst describe_table allowed', ['analyst'], 'postgres-mcp', 'describe_table', { table: 't' }, true],
    ['analyst other server denied', ['analyst'], 'github-mcp', 'get_repo', {}, false],
    ['developer create_issue allowed', ['developer'], 'github-mcp', 'create_issue', { title: 'x' }, true],
    ['developer search_repos allowed', ['developer'], 'github-mcp', 'search_repos', {}, true],
    ['developer close_issue denied', ['developer'], 'github-mcp', 'close_issue', {}, false],
    ['developer postgres denied', ['developer'], 'postgres-mcp', 'execute_query', { query: 'SELECT 1' }, false],
    ['guest denied', ['guest'], 'github-mcp', 'get_repo', {}, false],
    ['no roles denied', [], 'postgres-mcp', 'list_tables', {}, false],
  ];

  it.each(cases)('%s', async (_name, roles, server, tool, parameters, allowed) => {
    const input = buildInvocationInput({
      userToken: jwt({ sub: 'u', roles }),
      serverName: server,
      toolName: tool,
      parameters,
    });
    const decision = await policy.evaluate(input);
    expect(decision.allow).toBe(allowed);
    if (!allowed) {
      const error = await authorize(policy, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect((error as PermissionDeniedError).reason).toMatch(/^Denied/);
    }
  });

  it('filters password, secret and api_key for postgres-mcp/execute_query only', async () => {
    const input = buildInvocationInput({
      userToken: jwt({ roles: ['analyst'] }),
      serverName: 'postgres-mcp',
      toolName: 'execute_query',
      parameters: { query: 'SELECT 1', password: 'p', secret: 's', api_key: 'k', limit: 5 },
    });
    expect((await policy.evaluate(input)).filteredParameters).toEqual({ query: 'SELECT 1', limit: 5 });
    const other = buildInvocationInput({
      userToken: jwt({ roles: ['admin'] }),
      serverName: 'github-mcp',
      toolName: 'create_issue',
      parameters: { title: 't', secret: 's' },
    });
    expect((await policy.evaluate(other)).filteredParameters).toEqual({ title: 't', secret: 's' });
  });

  it('a policy function that throws is a PolicyEvaluationError (fail closed)', async () => {
    const broken = localPolicy(() => {
      throw new Error('bug in policy');
    });
    await expect(authorize(broken, {})).rejects.toBeInstanceOf(PolicyEvaluationError);
  });
});
