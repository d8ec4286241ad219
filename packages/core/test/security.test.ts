import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GatewayConfigError,
  GatewayHttpError,
  JsonRpcError,
  ProcessExitedError,
  REDACTED,
  canonicalJson,
  holdSecret,
  jsonSnapshot,
  parseServerInfo,
  redact,
  type JsonValue,
} from '@sark/core';
import { checkHeaderValue, redactCut, redirectStep } from '@sark/core/internal';
import { secretsInUse } from '../src/secrets-in-use';

// Secrets as people choose them: letters, digits and the punctuation that passwords and tokens carry.
const secretArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9!#$%*+./:=?@^_~-]{7,39}$/);
const keyArb = fc.constantFrom(
  'password',
  'db_password',
  'passwd',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'api_key',
  'apiKey',
  'X-API-Key',
  'Authorization',
  'session_id',
  'private_key',
);
const textArb = fc.stringMatching(/^[A-Za-z0-9 ,.:;{}[\]()\n-]{0,40}$/);

/** Every shape in which a peer may echo a secret-named key and its value back. */
const SHAPES: Record<string, (key: string, value: string) => string> = {
  json: (k, v) => JSON.stringify({ user: 'alice', [k]: v, n: 1 }),
  'pretty json': (k, v) => JSON.stringify({ user: 'alice', [k]: v }, null, 2),
  'json inside a json string': (k, v) => JSON.stringify({ detail: JSON.stringify({ [k]: v, other: 'x' }) }),
  'json inside json inside json': (k, v) =>
    JSON.stringify({ detail: JSON.stringify({ inner: JSON.stringify({ [k]: v }) }) }),
  'js inspect': (k, v) => `{ user: 'alice', ${/^\w+$/.test(k) ? k : `'${k}'`}: '${v.replace(/'/g, "\\'")}', n: 1 }`,
  'python repr': (k, v) => `{'user': 'alice', '${k}': '${v.replace(/'/g, "\\'")}', 'n': 1}`,
  'keyword argument': (k, v) => `connect(host='db', ${k}="${v.replace(/"/g, '\\"')}")`,
  'header line': (k, v) => `HTTP/1.1 401 Unauthorized\r\n${k}: ${v}\r\nContent-Type: text/plain\r\n`,
  'query string': (k, v) => `GET /api/v1/servers?limit=5&${k}=${encodeURIComponent(v)}&x=1`,
  form: (k, v) => `user=alice&${k}=${encodeURIComponent(v)}&remember=1`,
  'log line': (k, v) => `retrying with ${k}=${v} after 200 ms`,
};

describe('redaction never degrades', () => {
  it.each(Object.keys(SHAPES))('a secret-named key echoed as %s never shows its value', (shape) => {
    const render = SHAPES[shape] as (key: string, value: string) => string;
    fc.assert(
      fc.property(keyArb, secretArb, textArb, textArb, (key, secret, before, after) => {
        const text = `${before}${render(key, secret)}${after}`;
        const clean = redact(text);
        expect(clean).not.toContain(secret);
        expect(clean).not.toContain(encodeURIComponent(secret));
      }),
      { numRuns: 300 },
    );
  });

  it('every secret in use is redacted in any shape, however many users the client serves', () => {
    const apiKey = 'api-key-held-by-the-client-0001';
    const releaseKey = holdSecret(apiKey);
    const tokens = Array.from({ length: 300 }, (_, i) => `user-token-${i}-${'x'.repeat(i % 7)}`);
    const releases = tokens.map(holdSecret);
    try {
      for (const text of [`echo: ${apiKey}`, `{"k":"${apiKey}"}`, `${tokens[0]}|${tokens[299]}`]) {
        const error = new GatewayHttpError({ status: 400, method: 'GET', url: 'http://gw/x', body: text });
        for (const rendered of [error.body, JSON.stringify(error), error.message]) {
          expect(rendered).not.toContain(apiKey);
          for (const token of tokens) expect(rendered).not.toContain(token);
        }
      }
    } finally {
      releases.forEach((release) => release());
      releaseKey();
    }
  });

  it('memory is bounded by the secrets in use: released ones are forgotten, counted holds keep a value', () => {
    const before = secretsInUse().length;
    const releases = Array.from({ length: 500 }, (_, i) => holdSecret(`short-lived-token-${i}`));
    expect(secretsInUse().length).toBe(before + 500);
    const first = holdSecret('short-lived-token-0');
    releases.forEach((release) => release());
    releases.forEach((release) => release());
    expect(secretsInUse().length).toBe(before + 1);
    expect(redact('x short-lived-token-0 y')).toBe(`x ${REDACTED} y`);
    first();
    expect(secretsInUse().length).toBe(before);
  });

  it('a secret that contains another is replaced whole', () => {
    const releases = [holdSecret('abcdef'), holdSecret('abcdef-and-more-123')];
    expect(redact('value abcdef-and-more-123 end')).toBe(`value ${REDACTED} end`);
    releases.forEach((release) => release());
  });

  it('the body excerpt is redacted before it is cut, wherever the cut falls', () => {
    const key = 'sk_live_0123456789abcdefghijklmnop';
    const release = holdSecret(key);
    try {
      for (let offset = 990; offset <= 1024; offset++) {
        const error = new GatewayHttpError({
          status: 500,
          method: 'GET',
          url: 'http://gw/x',
          body: `${'x'.repeat(offset)}${key} tail`,
        });
        expect(error.body).not.toContain(key.slice(0, 6));
        expect(error.body.length).toBeLessThanOrEqual(1025);
      }
    } finally {
      release();
    }
  });

  it('a text cut by its reader loses the piece of a secret at the cut', () => {
    const key = 'tok_9f8e7d6c5b4a39281706';
    const release = holdSecret(key);
    try {
      expect(redactCut(`error body ... ${key.slice(0, 12)}`, { cutAtEnd: true })).toBe(`error body ... ${REDACTED}`);
      expect(redactCut(`${key.slice(-10)}\nlast line`, { cutAtStart: true })).toBe(`${REDACTED}\nlast line`);
      const error = new GatewayHttpError({
        status: 502,
        method: 'GET',
        url: 'http://gw/x',
        body: `upstream said ${key.slice(0, 20)}`,
        bodyTruncated: true,
      });
      expect(error.body).not.toContain(key.slice(0, 8));
      expect(redactCut('{"password": "hunter2-and-so', { cutAtEnd: true })).not.toContain('hunter2');
    } finally {
      release();
    }
  });

  it('echoes in a process’s stderr never reach ProcessExitedError', () => {
    const password = 'correct-horse-battery-staple';
    const tail =
      `config: { user: 'svc', password: '${password}' }\n{\\"password\\":\\"${password}\\"}\nPassword: ` +
      `${password}\n`;
    const error = new ProcessExitedError({ exitCode: 1, signal: null, stderrTail: tail });
    for (const text of [error.message, error.stderrTail, JSON.stringify(error), String(error.stack)])
      expect(text).not.toContain(password);
  });

  it('hostile texts cannot make redaction hang: every rule does bounded work at each position', () => {
    const hostile = [
      'a.'.repeat(128 * 1024),
      '\\'.repeat(256 * 1024),
      `password: "${'x'.repeat(256 * 1024)}`,
      'password='.repeat(32 * 1024),
      `http://${'a'.repeat(256 * 1024)}`,
      `${'tokentoken'.repeat(16 * 1024)}:`,
      `Bearer ${'a'.repeat(256 * 1024)}`,
    ];
    for (const text of hostile) expect(redact(text).length).toBeGreaterThan(0);
    const error = new JsonRpcError({ rpcCode: -32000, message: `password=${'y'.repeat(1024 * 1024)}` });
    expect(error.message.length).toBeLessThanOrEqual(8193);
    expect(error.message).not.toContain('yyyy');
  });

  it('"token in use: X" loses X, not the word after "token"', () => {
    const token = 'live-user-token-77aa';
    const release = holdSecret(token);
    expect(redact(`token in use: ${token}`)).toBe(`token in use: ${REDACTED}`);
    release();
  });
});

describe('peer data never shapes our objects', () => {
  it('a __proto__ key in a JSON-RPC error’s data stays an ordinary key', () => {
    const data = JSON.parse('{"__proto__": {"isAdmin": true}, "detail": "x"}') as unknown;
    const error = new JsonRpcError({ rpcCode: -32000, message: 'failed', data });
    const copy = error.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy['isAdmin']).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'detail']);
  });

  it('a server model from the gateway is deeply frozen plain data', () => {
    const wire = JSON.parse(
      '{"server_id":"1","server_name":"s","server_url":"stdio://s","health_status":"healthy","tools_count":1,' +
        '"access_restrictions":{"regions":["eu"],"__proto__":{"isAdmin":true}}}',
    ) as unknown;
    const server = parseServerInfo(wire);
    const restrictions = server.accessRestrictions as { regions: string[]; isAdmin?: unknown };
    expect(() => restrictions.regions.push('us')).toThrow(TypeError);
    expect(restrictions.regions).toEqual(['eu']);
    expect(Object.getPrototypeOf(restrictions)).toBe(Object.prototype);
    expect(restrictions.isAdmin).toBeUndefined();
  });

  it('redacted copies and snapshots keep __proto__ as data', () => {
    const raw = JSON.parse('{"a": {"__proto__": {"polluted": 1}}}') as Record<string, unknown>;
    for (const copy of [redact(raw), jsonSnapshot(raw)] as Record<string, Record<string, unknown>>[]) {
      const inner = copy['a'] as Record<string, unknown>;
      expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
      expect(inner['polluted']).toBeUndefined();
      expect(JSON.stringify(copy)).toBe('{"a":{"__proto__":{"polluted":1}}}');
    }
  });
});

describe('jsonSnapshot: the invocation is copied once, as JSON', () => {
  it.each([
    ['a BigInt', { q: 1n }, 'parameters.q: a BigInt is not a JSON value'],
    ['a function', { callback: () => 1, q: 1 }, 'parameters.callback: a function is not a JSON value'],
    ['a symbol', { s: Symbol('x') }, 'parameters.s: a symbol is not a JSON value'],
    ['NaN', { n: Number.NaN }, 'parameters.n: NaN is not a JSON value'],
    ['Infinity', { list: [1, Number.POSITIVE_INFINITY] }, 'parameters.list[1]: Infinity is not a JSON value'],
    ['a Map', { m: new Map([['a', 1]]) }, 'parameters.m: a Map is not a JSON value'],
    ['undefined in an array', { list: [undefined] }, 'parameters.list[0]: undefined is not a JSON value'],
    ['a key that needs quoting', { 'a b': { c: 1n } }, 'parameters["a b"].c: a BigInt is not a JSON value'],
  ])('refuses %s, naming its path', (_what, value, message) => {
    expect(() => jsonSnapshot(value, 'parameters')).toThrow(GatewayConfigError);
    expect(() => jsonSnapshot(value, 'parameters')).toThrow(message);
  });

  it('refuses cycles and absurd nesting', () => {
    const cyclic: Record<string, unknown> = { a: { b: {} } };
    (cyclic['a'] as Record<string, Record<string, unknown>>)['b']!['back'] = cyclic;
    expect(() => jsonSnapshot(cyclic, 'parameters')).toThrow(
      'parameters.a.b.back: a circular reference is not a JSON value',
    );
    let deep: unknown = 1;
    for (let i = 0; i < 500; i++) deep = [deep];
    expect(() => jsonSnapshot(deep, 'parameters')).toThrow(/nested deeper than 200 levels/);
  });

  it('applies toJSON as JSON.stringify does, so a URL or Date is the text it serialises to', () => {
    const value = { url: new URL('https://allowed.example/report'), at: new Date(0), skip: undefined };
    const copy = jsonSnapshot(value, 'parameters');
    expect(copy).toEqual({ url: 'https://allowed.example/report', at: '1970-01-01T00:00:00.000Z' });
    expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
  });

  it('is deeply frozen and detached from the caller’s object', () => {
    const original = { query: 'SELECT 1', nested: { list: ['a'] } };
    const copy = jsonSnapshot(original, 'parameters') as { query: string; nested: { list: string[] } };
    original.query = 'DROP TABLE users';
    original.nested.list.push('b');
    expect(copy).toEqual({ query: 'SELECT 1', nested: { list: ['a'] } });
    expect(Object.isFrozen(copy) && Object.isFrozen(copy.nested) && Object.isFrozen(copy.nested.list)).toBe(true);
    expect(jsonSnapshot(copy)).toBe(copy);
  });

  it('reads each value once, so a getter cannot show the policy one thing and the gateway another', () => {
    let reads = 0;
    const sneaky = {
      get query() {
        reads++;
        return reads === 1 ? 'SELECT 1' : 'DROP TABLE users';
      },
    };
    const copy = jsonSnapshot(sneaky) as { query: string };
    expect([copy.query, copy.query, JSON.parse(JSON.stringify(copy)).query]).toEqual([
      'SELECT 1',
      'SELECT 1',
      'SELECT 1',
    ]);
  });

  it('canonicalJson: the same data gives the same text whatever the key order, and different data never does', () => {
    const reorder = (value: JsonValue): JsonValue => {
      if (Array.isArray(value)) return value.map(reorder);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reorder(v as JsonValue)]),
      );
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const x = jsonSnapshot(a);
        const y = jsonSnapshot(b);
        expect(canonicalJson(jsonSnapshot(reorder(x)))).toBe(canonicalJson(x));
        expect(JSON.parse(canonicalJson(x))).toEqual(JSON.parse(JSON.stringify(x)));
        if (canonicalJson(x) === canonicalJson(y)) expect(x).toEqual(y);
      }),
      { numRuns: 300 },
    );
  });
});

describe('header values and redirects', () => {
  it.each(['tok€n', 'tok\u0001en', 'tok\ren', 'tok\u007fen', 'tok\u00e9n'])(
    '%j cannot be sent as a header value',
    (value) => {
      expect(() => checkHeaderValue('Authorization', value)).toThrow(GatewayConfigError);
      expect(() => checkHeaderValue('Authorization', value)).not.toThrow(value);
    },
  );

  it('redirects are followed only on the configured origin, bounded, keeping the method', () => {
    const request = {
      method: 'GET',
      url: 'http://127.0.0.1:8080/api/v1/events',
      origin: 'http://127.0.0.1:8080',
      redirects: 0,
    };
    expect(redirectStep(request, 200, null)).toBeNull();
    expect(redirectStep(request, 307, '/api/v2/events')).toEqual({ url: 'http://127.0.0.1:8080/api/v2/events' });
    expect(redirectStep(request, 307, 'http://127.0.0.1:8081/steal?api_key=abc')).toEqual({
      refused: `a redirect to another origin, http://127.0.0.1:8081/steal?api_key=${REDACTED} (not followed)`,
    });
    expect(redirectStep(request, 302, 'http://[')).toHaveProperty('refused');
    expect(redirectStep(request, 0, null)).toHaveProperty('refused');
    expect(redirectStep({ ...request, redirects: 5 }, 307, '/x')).toHaveProperty('refused');
    expect(redirectStep({ ...request, method: 'POST' }, 302, '/x')).toHaveProperty('refused');
    expect(redirectStep({ ...request, method: 'POST' }, 308, '/x')).toEqual({ url: 'http://127.0.0.1:8080/x' });
  });
});
