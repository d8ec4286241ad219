import { describe, expect, it } from 'vitest';
import {
  CircuitBreakerError,
  CircuitOpenError,
  ClientClosedError,
  GatewayConfigError,
  GatewayError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  GatewayTimeoutError,
  JsonRpcError,
  PermissionDeniedError,
  PermissionError,
  PolicyEvaluationError,
  ProcessExitedError,
  ProcessStartError,
  RetryExhaustedError,
  StdioTransportError,
  TimeoutError,
  TransportNotAvailableError,
} from '@sark/core';

describe('error hierarchy', () => {
  it.each([
    [new GatewayError({ message: 'x' }), 'ERR_GATEWAY'],
    [new GatewayConfigError({ message: 'x' }), 'ERR_CONFIG'],
    [new TransportNotAvailableError({ transport: 'stdio' }), 'ERR_TRANSPORT_NOT_AVAILABLE'],
    [new ClientClosedError(), 'ERR_CLIENT_CLOSED'],
    [new GatewayHttpError({ status: 404, method: 'GET', url: 'http://g/api/v1/servers/x' }), 'ERR_HTTP'],
    [new GatewayNetworkError({ message: 'refused' }), 'ERR_NETWORK'],
    [new GatewayProtocolError({ message: 'bad' }), 'ERR_PROTOCOL'],
    [new TimeoutError({ timeoutMs: 50 }), 'ERR_TIMEOUT'],
    [new CircuitBreakerError({ retryAfterMs: 1000 }), 'ERR_CIRCUIT_OPEN'],
    [new RetryExhaustedError({ attempts: 3, cause: new Error('last') }), 'ERR_RETRY_EXHAUSTED'],
    [new PermissionDeniedError({ reason: 'no' }), 'ERR_PERMISSION_DENIED'],
    [new PolicyEvaluationError({ message: 'down' }), 'ERR_POLICY'],
    [new StdioTransportError({ message: 'x' }), 'ERR_STDIO'],
    [new ProcessStartError({ command: 'npx', message: 'ENOENT' }), 'ERR_STDIO_START'],
    [new ProcessExitedError({ exitCode: 1, signal: null }), 'ERR_STDIO_EXITED'],
    [new JsonRpcError({ rpcCode: -32601, message: 'Method not found' }), 'ERR_JSONRPC'],
  ])('%s has its code, its name and is a GatewayError and an Error', (error, code) => {
    expect(error.code).toBe(code);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(error.constructor.name);
    expect(error.stack?.startsWith(`${error.name}: `)).toBe(true);
  });

  it('keeps cause', () => {
    const cause = new Error('socket hang up');
    expect(new GatewayNetworkError({ message: 'failed', cause }).cause).toBe(cause);
    const exhausted = new RetryExhaustedError({ attempts: 3, cause: new TimeoutError({ timeoutMs: 10 }) });
    expect(exhausted.attempts).toBe(3);
    expect(exhausted.cause).toBeInstanceOf(TimeoutError);
    expect(exhausted.message).toBe('Gave up after 3 attempts: Operation timed out after 10 ms');
  });

  it('subclass relations hold and unrelated classes do not match', () => {
    const exited = new ProcessExitedError({ exitCode: null, signal: 'SIGKILL', stderrTail: 'a\nb\nboom\n' });
    expect(exited).toBeInstanceOf(StdioTransportError);
    expect(exited).not.toBeInstanceOf(GatewayHttpError);
    expect(exited.message).toBe('Process exited with signal SIGKILL; stderr: a | b | boom');
    expect(new Error('x')).not.toBeInstanceOf(GatewayError);
    expect(null).not.toBeInstanceOf(GatewayError);
  });

  it('aliases are the same classes', () => {
    expect(PermissionError).toBe(PermissionDeniedError);
    expect(GatewayTimeoutError).toBe(TimeoutError);
    expect(CircuitOpenError).toBe(CircuitBreakerError);
    expect(new PermissionDeniedError({ reason: 'r', decisionId: 'd1' })).toMatchObject({
      reason: 'r',
      decisionId: 'd1',
    });
  });

  it('fields of an HTTP error', () => {
    const error = new GatewayHttpError({
      status: 503,
      method: 'GET',
      url: 'http://g/x',
      body: 'x'.repeat(5000),
      retryAfterMs: 2000,
    });
    expect(error).toMatchObject({ status: 503, method: 'GET', url: 'http://g/x', retryAfterMs: 2000 });
    expect(error.body.length).toBeLessThanOrEqual(1025);
    expect(error.message).toBe('GET http://g/x failed with HTTP 503');
    expect(new TimeoutError({ timeoutMs: 1500 }).message).toBe('Operation timed out after 1500 ms');
  });

  it('a user subclass without a brand uses ordinary instanceof', () => {
    class MyError extends GatewayHttpError {}
    const mine = new MyError({ status: 500, method: 'GET', url: 'http://g' });
    expect(mine).toBeInstanceOf(MyError);
    expect(mine).toBeInstanceOf(GatewayHttpError);
    expect(new GatewayHttpError({ status: 500, method: 'GET', url: 'http://g' })).not.toBeInstanceOf(MyError);
  });

  it('a subclass inherits its branded parent’s name until it names itself; naming one error names only it', () => {
    class MyError extends GatewayHttpError {}
    const mine = new MyError({ status: 500, method: 'GET', url: 'http://g' });
    expect(mine.name).toBe('GatewayHttpError');
    expect(String(mine.stack)).toMatch(/^GatewayHttpError: /);
    class NamedError extends GatewayHttpError {
      constructor() {
        super({ status: 500, method: 'GET', url: 'http://g' });
        this.name = 'NamedError';
      }
    }
    expect(new NamedError().name).toBe('NamedError');
    expect(new NamedError().toJSON()['name']).toBe('NamedError');
    expect(new GatewayHttpError({ status: 500, method: 'GET', url: 'http://g' }).name).toBe('GatewayHttpError');
    expect(ProcessExitedError.prototype.name).toBe('ProcessExitedError');
    expect(Object.keys(new TimeoutError({ timeoutMs: 1 }))).not.toContain('name');
  });

  it('toJSON describes the error and its cause', () => {
    const error = new GatewayProtocolError({
      message: 'servers[0].tools_count: expected a non-negative integer',
      field: 'servers[0].tools_count',
      cause: new SyntaxError('Unexpected token'),
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'GatewayProtocolError',
      code: 'ERR_PROTOCOL',
      message: 'servers[0].tools_count: expected a non-negative integer',
      field: 'servers[0].tools_count',
      cause: { name: 'SyntaxError', message: 'Unexpected token' },
    });
  });
});
