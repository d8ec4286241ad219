import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import {
  CircuitBreakerError,
  ClientClosedError,
  GatewayConfigError,
  GatewayError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  JsonRpcError,
  PermissionDeniedError,
  PolicyEvaluationError,
  ProcessExitedError,
  ProcessStartError,
  RetryExhaustedError,
  StdioTransportError,
  TimeoutError,
  TransportNotAvailableError,
  redactingLogger,
  holdSecret,
  silentLogger,
  type Logger,
} from '@sark/core';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZw';
const API_KEY = 'sk_live_51HxY';
const PASSWORD = 'correct-horse-battery';
const leaky = `token=${JWT} Authorization: Bearer ${JWT} X-API-Key: ${API_KEY} {"password": "${PASSWORD}"}`;
const SECRETS = [JWT, API_KEY, PASSWORD, 'c2lnbmF0dXJlLXNpZw'];

function renderings(error: GatewayError): string[] {
  return [
    error.message,
    error.stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    String(error),
    `${error.toString()}`,
  ];
}

describe('no secret in any rendering of any error', () => {
  const cause = new Error(`upstream failed: ${leaky}`);
  const errors: GatewayError[] = [
    new GatewayError({ message: leaky, cause }),
    new GatewayConfigError({ message: leaky, cause }),
    new TransportNotAvailableError({ transport: 'stdio', message: leaky, cause }),
    new ClientClosedError({ message: leaky, cause }),
    new GatewayHttpError({
      status: 401,
      method: 'GET',
      url: `https://user:${PASSWORD}@gw/api?api_key=${API_KEY}&token=${JWT}`,
      body: leaky,
      cause,
    }),
    new GatewayHttpError({ status: 500, method: 'POST', url: 'http://gw/api/v1/invoke', body: leaky, message: leaky }),
    new GatewayNetworkError({ message: leaky, cause }),
    new GatewayProtocolError({ message: leaky, cause, field: 'x' }),
    new TimeoutError({ timeoutMs: 10, message: leaky, cause }),
    new CircuitBreakerError({ retryAfterMs: 10, message: leaky, cause }),
    new RetryExhaustedError({ attempts: 3, cause: new GatewayNetworkError({ message: leaky, cause }) }),
    new RetryExhaustedError({ attempts: 3, cause }),
    new PermissionDeniedError({ reason: leaky, decisionId: 'd', cause }),
    new PolicyEvaluationError({ message: leaky, cause }),
    new StdioTransportError({ message: leaky, cause }),
    new ProcessStartError({ command: 'server', message: leaky, cause }),
    new ProcessExitedError({ exitCode: 1, signal: null, stderrTail: leaky, cause }),
    new JsonRpcError({ rpcCode: -32000, message: leaky, data: { password: PASSWORD, note: leaky }, cause }),
  ];

  it.each(errors.map((error) => [error.name, error] as const))('%s', (_name, error) => {
    for (const text of renderings(error)) {
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
  });

  it('a registered secret in an arbitrary shape is removed too', () => {
    holdSecret('plain-opaque-secret-42');
    const error = new GatewayNetworkError({
      message: 'connect to plain-opaque-secret-42 failed',
      cause: new Error('plain-opaque-secret-42'),
    });
    for (const text of renderings(error)) expect(text).not.toContain('plain-opaque-secret-42');
  });
});

describe('logger', () => {
  it('the redacting logger never passes a secret on', () => {
    const seen: unknown[] = [];
    const sink = vi.fn((fields: Record<string, unknown>, message?: string) => seen.push(fields, message));
    const target: Logger = { debug: sink, info: sink, warn: sink, error: sink };
    const logger = redactingLogger(target);
    logger.info(
      {
        headers: { authorization: `Bearer ${JWT}`, 'x-api-key': API_KEY },
        parameters: { password: PASSWORD, query: 'SELECT 1' },
      },
      leaky,
    );
    logger.error(
      { err: new GatewayHttpError({ status: 500, method: 'GET', url: `http://gw?token=${JWT}` }) },
      'failed',
    );
    logger.debug({ note: leaky });
    logger.warn({}, `retrying with api_key=${API_KEY}`);
    expect(sink).toHaveBeenCalledTimes(4);
    const text = inspect(seen, { depth: 10 }) + JSON.stringify(seen);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).toContain('SELECT 1');
  });

  it('the silent logger says nothing and stays silent when wrapped', () => {
    expect(redactingLogger(silentLogger)).toBe(silentLogger);
    expect(silentLogger.info({ a: 1 }, 'x')).toBeUndefined();
  });
});
