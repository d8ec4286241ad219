import { describe, expect, it } from 'vitest';
import { REDACTED, isSensitiveName, redact, redactHeaders, redactUrl, holdSecret } from '@sark/core';

describe('redact', () => {
  it('recognises secret-looking names', () => {
    for (const name of [
      'password',
      'db_password',
      'secret',
      'clientSecret',
      'token',
      'access_token',
      'api_key',
      'apiKey',
      'X-API-Key',
      'Authorization',
      'cookie',
    ]) {
      expect(isSensitiveName(name), name).toBe(true);
    }
    for (const name of ['query', 'server_name', 'limit', 'description', 'tools_count']) {
      expect(isSensitiveName(name), name).toBe(false);
    }
  });

  it('replaces secret values in nested objects and arrays, leaving the rest', () => {
    const input = {
      query: 'SELECT 1',
      password: 'hunter2',
      nested: { api_key: 'k-123', list: [{ token: 't' }], n: 5 },
      empty: null,
    };
    expect(redact(input)).toEqual({
      query: 'SELECT 1',
      password: REDACTED,
      nested: { api_key: REDACTED, list: [{ token: REDACTED }], n: 5 },
      empty: null,
    });
    expect(input.password).toBe('hunter2');
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    expect(redact(a)).toEqual({ name: 'a', self: '[Circular]' });
  });

  it('removes secrets from free text', () => {
    const text = redact(
      'Authorization: Bearer abc.def-ghi\nX-API-Key: sk_live_123\nurl?api_key=zzz&x=1 {"password": "p@ss w"} ' +
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig https://user:pw@host/',
    );
    for (const secret of ['abc.def-ghi', 'sk_live_123', 'zzz', 'p@ss w', 'eyJhbGciOiJIUzI1NiJ9', 'user:pw']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('x=1');
  });

  it('redacts URLs: userinfo and secret query values', () => {
    expect(redactUrl('https://bob:pw@gw.example/api?token=abc&page=2')).toBe(
      `https://gw.example/api?token=${REDACTED}&page=2`,
    );
    expect(redactUrl('/relative?api_key=abc')).toBe(`/relative?api_key=${REDACTED}`);
  });

  it('redacts headers by name', () => {
    expect(
      redactHeaders({ 'x-api-key': 'k', authorization: 'Bearer t', accept: 'application/json', 'x-n': 3 }),
    ).toEqual({
      'x-api-key': REDACTED,
      authorization: REDACTED,
      accept: 'application/json',
      'x-n': '3',
    });
    expect(redactHeaders([['Cookie', 'a=b']])).toEqual({ Cookie: REDACTED });
  });

  it('removes registered secrets whatever their context', () => {
    holdSecret('opaque-value-9f8e7d');
    expect(redact('the gateway said: opaque-value-9f8e7d is wrong')).toBe(`the gateway said: ${REDACTED} is wrong`);
    holdSecret('abc');
    expect(redact('abc')).toBe('abc');
  });
});
