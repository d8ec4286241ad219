import { describe, expect, it } from 'vitest';
import { GatewayConfigError, redact } from '../src/index';
import {
  MAX_ECHOED_HEADER_CHARS,
  addCheckedHeaders,
  checkHeaderName,
  checkOptionsObject,
  holdSecretHeaders,
  isEchoableHeaderValue,
} from '../src/internal';

describe('checkHeaderName', () => {
  it('accepts RFC 9110 tokens and returns them in lower case', () => {
    expect(checkHeaderName('X-Trace_ID.v2')).toBe('x-trace_id.v2');
    expect(checkHeaderName("!#$%&'*+-.^_`|~09az")).toBe("!#$%&'*+-.^_`|~09az");
  });

  it.each(['', 'x trace', 'x:y', 'x-ok\r\nx-injected', 'x-caf\u00e9', '(x)', 'x"y'])(
    'refuses %j with a GatewayConfigError',
    (name) => {
      expect(() => checkHeaderName(name)).toThrow(GatewayConfigError);
      expect(() => checkHeaderName(name)).toThrow('not a valid HTTP header name');
    },
  );

  it('shows at most 64 characters of a refused name', () => {
    const error = (() => {
      try {
        checkHeaderName(`x ${'y'.repeat(500)}`);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message.length).toBeLessThan(200);
  });
});

describe('addCheckedHeaders', () => {
  it('adds every name in lower case and its checked value; a __proto__ name stays data', () => {
    const headers = addCheckedHeaders({ accept: 'application/json' }, { 'X-A': '1' });
    expect(headers).toEqual({ accept: 'application/json', 'x-a': '1' });
    const withProto = addCheckedHeaders({}, JSON.parse('{"__proto__": "p"}') as Record<string, string>);
    expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype);
    expect(Object.keys(withProto)).toEqual(['__proto__']);
  });

  it('refuses a bad value, naming the header and not the value', () => {
    expect(() => addCheckedHeaders({}, { 'X-Token': 'sk-123\nx: y' })).toThrow('X-Token header: its value holds');
  });
});

describe('holdSecretHeaders', () => {
  it('holds the values of secret-named headers (scheme dropped) until released; others are not held', () => {
    const releases = holdSecretHeaders({
      Authorization: 'Bearer abc-def-ghi-jkl',
      'X-Gateway-Token': 'tok-1234567890',
      'X-Request-Id': 'req-99999999',
    });
    const text = 'abc-def-ghi-jkl tok-1234567890 req-99999999';
    expect(redact(text)).toBe('[REDACTED] [REDACTED] req-99999999');
    for (const release of releases) release();
    expect(redact(text)).toBe(text);
  });
});

describe('isEchoableHeaderValue', () => {
  it('accepts printable ASCII up to MAX_ECHOED_HEADER_CHARS, nothing longer, no control or non-ASCII character', () => {
    expect(isEchoableHeaderValue('evt-42')).toBe(true);
    expect(isEchoableHeaderValue('a'.repeat(MAX_ECHOED_HEADER_CHARS))).toBe(true);
    expect(isEchoableHeaderValue('a'.repeat(MAX_ECHOED_HEADER_CHARS + 1))).toBe(false);
    expect(isEchoableHeaderValue('a\r\nx-injected: 1')).toBe(false);
    expect(isEchoableHeaderValue('caf\u00e9')).toBe(false);
  });
});

describe('checkOptionsObject', () => {
  it('gives {} for undefined and the object itself; refuses everything else, naming the option', () => {
    const options = { a: 1 };
    expect(checkOptionsObject(undefined, 'x')).toEqual({});
    expect(checkOptionsObject(options, 'x')).toBe(options);
    for (const [value, got] of [
      [null, 'null'],
      [5, '5'],
      ['fast', 'a string'],
      [[], 'an array'],
      [() => 1, 'function'],
    ] as const) {
      expect(() => checkOptionsObject(value as never, 'reconnect')).toThrow(
        new GatewayConfigError({ option: 'reconnect', message: `must be an object, got ${got}` }),
      );
    }
  });
});
