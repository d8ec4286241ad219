import { redact, redactCut, redactedExcerpt } from './redact';

/** Every `code` a {@link GatewayError} can carry. */
export type GatewayErrorCode =
  | 'ERR_GATEWAY'
  | 'ERR_CONFIG'
  | 'ERR_TRANSPORT_NOT_AVAILABLE'
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_HTTP'
  | 'ERR_NETWORK'
  | 'ERR_PROTOCOL'
  | 'ERR_TIMEOUT'
  | 'ERR_CIRCUIT_OPEN'
  | 'ERR_RETRY_EXHAUSTED'
  | 'ERR_PERMISSION_DENIED'
  | 'ERR_POLICY'
  | 'ERR_STDIO'
  | 'ERR_STDIO_START'
  | 'ERR_STDIO_EXITED'
  | 'ERR_JSONRPC';

const BRANDS = Symbol.for('@sark/core:error-brands');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const BODY_EXCERPT_BYTES = 1024;
/** Messages longer than this (a peer's JSON-RPC error text, say) are cut, after redaction. */
const MAX_MESSAGE_CHARS = 8192;

/** The message, redacted; a huge one is first cut to a bounded slice (redacting the piece at the cut too). */
function safeMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return redact(message);
  return redactedExcerpt(message.slice(0, 4 * MAX_MESSAGE_CHARS), MAX_MESSAGE_CHARS, { cutAtEnd: true });
}

interface Branded {
  readonly [BRANDS]?: readonly symbol[];
}
type BrandedClass = { readonly brand?: symbol };

/** Options every error accepts. */
export interface GatewayErrorOptions {
  cause?: unknown;
}

function describeCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (cause instanceof GatewayError) return cause.toJSON();
  if (cause instanceof Error) return { name: cause.name, message: redact(cause.message) };
  return redact(cause);
}

/**
 * The base of every error @sark throws. `instanceof` works across two copies of the package (each class is branded
 * with `Symbol.for`), and no secret ever reaches `message`, `stack`, `toJSON()` or `util.inspect` output: messages
 * and fields are redacted when the error is made, and a foreign `cause` is shown only by its redacted message.
 */
export class GatewayError extends Error {
  /** Identity shared by every copy of this class; subclasses declare their own. */
  static readonly brand: symbol = Symbol.for('@sark/core:GatewayError');

  static override [Symbol.hasInstance](instance: unknown): boolean {
    if (!Object.prototype.hasOwnProperty.call(this, 'brand')) {
      return Function.prototype[Symbol.hasInstance].call(this, instance);
    }
    const brands = typeof instance === 'object' && instance !== null ? (instance as Branded)[BRANDS] : undefined;
    return brands !== undefined && brands.includes((this as BrandedClass).brand as symbol);
  }

  readonly code: GatewayErrorCode;
  /** The redacted summary of `cause`, taken when the error is made: while the secrets it may carry are still in use. */
  readonly #causeSummary: unknown;

  constructor(message: string, options: GatewayErrorOptions = {}, code: GatewayErrorCode = 'ERR_GATEWAY') {
    super(safeMessage(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.#causeSummary = describeCause(options.cause);
    const brands: symbol[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.prototype.hasOwnProperty.call(c, 'brand')) brands.push((c as BrandedClass).brand as symbol);
    }
    Object.defineProperty(this, BRANDS, { value: Object.freeze(brands), enumerable: false });
  }

  /** The fields that describe this error besides name, code and message (already redacted). */
  protected details(): Record<string, unknown> {
    return {};
  }

  /** A JSON-safe, redacted description: name, code, message, the class's own fields and a summary of `cause`. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message, ...redact(this.details()) };
    if (this.#causeSummary !== undefined) json['cause'] = this.#causeSummary;
    return json;
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  /** What `util.inspect` (and so `console.log`) shows: the stack and the redacted fields, never raw secrets. */
  [INSPECT](): string {
    const { name: _name, code: _code, message: _message, ...rest } = this.toJSON();
    const stack = redact(this.stack ?? this.toString());
    const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    return `${stack}${fields}`;
  }
}

/** Options were invalid (for example no `gatewayUrl` for an HTTP operation, or a header with CR/LF). */
export class GatewayConfigError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:GatewayConfigError');
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, options, 'ERR_CONFIG');
  }
}

/** The operation needs a transport that the client's `transportMode` (or runtime) does not allow. */
export class TransportNotAvailableError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:TransportNotAvailableError');
  readonly transport: string;
  constructor(transport: string, message = `The ${transport} transport is not available here`, options: GatewayErrorOptions = {}) {
    super(message, options, 'ERR_TRANSPORT_NOT_AVAILABLE');
    this.transport = transport;
  }
  protected override details(): Record<string, unknown> {
    return { transport: this.transport };
  }
}

/** A call was made after `close()`. */
export class ClientClosedError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:ClientClosedError');
  constructor(message = 'The client is closed', options: GatewayErrorOptions = {}) {
    super(message, options, 'ERR_CLIENT_CLOSED');
  }
}

/** Fields of a {@link GatewayHttpError}. */
export interface GatewayHttpErrorInit extends GatewayErrorOptions {
  status: number;
  method: string;
  url: string;
  body?: string;
  /** The body is only the start of what the gateway sent (the transport stopped reading). */
  bodyTruncated?: boolean;
  retryAfterMs?: number | null;
}

/** The gateway answered with a non-2xx status. */
export class GatewayHttpError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:GatewayHttpError');
  readonly status: number;
  readonly method: string;
  /** The request URL, without userinfo and with secret query values replaced. */
  readonly url: string;
  /** The first KiB of the response body, redacted before it was cut. */
  readonly body: string;
  /** From a `Retry-After` header, when the gateway sent one. */
  readonly retryAfterMs: number | null;
  constructor(init: GatewayHttpErrorInit, message?: string) {
    const url = redact(init.url);
    super(message ?? `${init.method} ${url} failed with HTTP ${init.status}`, init, 'ERR_HTTP');
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.body = redactedExcerpt(init.body ?? '', BODY_EXCERPT_BYTES, { cutAtEnd: init.bodyTruncated === true });
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
  protected override details(): Record<string, unknown> {
    return { status: this.status, method: this.method, url: this.url, body: this.body, retryAfterMs: this.retryAfterMs };
  }
}

/** The connection failed: refused, reset, DNS, TLS. */
export class GatewayNetworkError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:GatewayNetworkError');
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, options, 'ERR_NETWORK');
  }
}

/** Options of a {@link GatewayProtocolError}. */
export interface GatewayProtocolErrorOptions extends GatewayErrorOptions {
  /** Path of the offending field, e.g. `servers[3].tools_count`. */
  field?: string;
}

/** The peer sent something we cannot accept: bad JSON, a schema mismatch, an oversized response, bad framing. */
export class GatewayProtocolError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:GatewayProtocolError');
  readonly field: string | null;
  constructor(message: string, options: GatewayProtocolErrorOptions = {}) {
    super(message, options, 'ERR_PROTOCOL');
    this.field = options.field ?? null;
  }
  protected override details(): Record<string, unknown> {
    return this.field === null ? {} : { field: this.field };
  }
}

/** A deadline passed. The underlying work was aborted. */
export class TimeoutError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:TimeoutError');
  readonly timeoutMs: number;
  constructor(timeoutMs: number, message = `Operation timed out after ${timeoutMs} ms`, options: GatewayErrorOptions = {}) {
    super(message, options, 'ERR_TIMEOUT');
    this.timeoutMs = timeoutMs;
  }
  protected override details(): Record<string, unknown> {
    return { timeoutMs: this.timeoutMs };
  }
}

/** The circuit breaker is open (or half-open and full): the call was not attempted. */
export class CircuitBreakerError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:CircuitBreakerError');
  /** How long until the breaker lets a trial call through. */
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number, message = `Circuit breaker is open; retry after ${retryAfterMs} ms`, options: GatewayErrorOptions = {}) {
    super(message, options, 'ERR_CIRCUIT_OPEN');
    this.retryAfterMs = retryAfterMs;
  }
  protected override details(): Record<string, unknown> {
    return { retryAfterMs: this.retryAfterMs };
  }
}

/** Every allowed attempt failed with a retryable error; `cause` is the last one. */
export class RetryExhaustedError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:RetryExhaustedError');
  readonly attempts: number;
  constructor(attempts: number, cause: unknown, message?: string) {
    const last = cause instanceof Error ? `: ${cause.message}` : '';
    super(message ?? `Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}${last}`, { cause }, 'ERR_RETRY_EXHAUSTED');
    this.attempts = attempts;
  }
  protected override details(): Record<string, unknown> {
    return { attempts: this.attempts };
  }
}

/** Fields of a {@link PermissionDeniedError}. */
export interface PermissionDeniedInit extends GatewayErrorOptions {
  reason?: string;
  decisionId?: string | null;
}

/** The policy denied the call. Nothing was sent to the gateway. */
export class PermissionDeniedError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:PermissionDeniedError');
  readonly reason: string;
  readonly decisionId: string | null;
  constructor(init: PermissionDeniedInit = {}, message?: string) {
    const reason = init.reason ?? 'Denied by policy';
    super(message ?? `Permission denied: ${reason}`, init, 'ERR_PERMISSION_DENIED');
    this.reason = redact(reason);
    this.decisionId = init.decisionId ?? null;
  }
  protected override details(): Record<string, unknown> {
    return { reason: this.reason, decisionId: this.decisionId };
  }
}

/** The policy could not be evaluated (OPA unreachable, invalid answer). The call is denied: fail closed. */
export class PolicyEvaluationError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:PolicyEvaluationError');
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, options, 'ERR_POLICY');
  }
}

/** A local (stdio) server failed in a way no more specific class describes. */
export class StdioTransportError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:StdioTransportError');
  constructor(message: string, options: GatewayErrorOptions = {}, code: GatewayErrorCode = 'ERR_STDIO') {
    super(message, options, code);
  }
}

/** A local server's process could not be started. */
export class ProcessStartError extends StdioTransportError {
  static override readonly brand: symbol = Symbol.for('@sark/core:ProcessStartError');
  readonly command: string;
  constructor(command: string, message: string, options: GatewayErrorOptions = {}) {
    super(message, options, 'ERR_STDIO_START');
    this.command = command;
  }
  protected override details(): Record<string, unknown> {
    return { command: this.command };
  }
}

/** Fields of a {@link ProcessExitedError}. */
export interface ProcessExitedInit extends GatewayErrorOptions {
  exitCode: number | null;
  signal: string | null;
  stderrTail?: string;
}

/** A local server's process exited while requests were pending or were being sent. */
export class ProcessExitedError extends StdioTransportError {
  static override readonly brand: symbol = Symbol.for('@sark/core:ProcessExitedError');
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The last lines the process wrote to stderr, redacted. */
  readonly stderrTail: string;
  constructor(init: ProcessExitedInit, message?: string) {
    const how = init.signal ? `signal ${init.signal}` : `code ${String(init.exitCode)}`;
    // A tail is the end of a longer text: the start of it may hold the end of a secret.
    const stderrTail = redactCut(init.stderrTail ?? '', { cutAtStart: true });
    const tail = stderrTail ? `; stderr: ${stderrTail.trim().split('\n').slice(-3).join(' | ')}` : '';
    super(message ?? `Process exited with ${how}${tail}`, init, 'ERR_STDIO_EXITED');
    this.exitCode = init.exitCode;
    this.signal = init.signal;
    this.stderrTail = stderrTail;
  }
  protected override details(): Record<string, unknown> {
    return { exitCode: this.exitCode, signal: this.signal, stderrTail: this.stderrTail };
  }
}

/** The server answered a JSON-RPC request with an error object. */
export class JsonRpcError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:JsonRpcError');
  /** The JSON-RPC error code (e.g. -32601). `code` stays `'ERR_JSONRPC'` like every @sark error. */
  readonly rpcCode: number;
  readonly data: unknown;
  constructor(rpcCode: number, message: string, data?: unknown, options: GatewayErrorOptions = {}) {
    super(message, options, 'ERR_JSONRPC');
    this.rpcCode = rpcCode;
    this.data = redact(data);
  }
  protected override details(): Record<string, unknown> {
    return { rpcCode: this.rpcCode, data: this.data };
  }
}

/** Alias of {@link PermissionDeniedError} (the usage guide's name). */
export const PermissionError = PermissionDeniedError;
/** Alias of {@link PermissionDeniedError} (the usage guide's name). */
export type PermissionError = PermissionDeniedError;
/** Alias of {@link TimeoutError} (the usage guide's name). */
export const GatewayTimeoutError = TimeoutError;
/** Alias of {@link TimeoutError} (the usage guide's name). */
export type GatewayTimeoutError = TimeoutError;
/** Alias of {@link CircuitBreakerError} (the usage guide's name). */
export const CircuitOpenError = CircuitBreakerError;
/** Alias of {@link CircuitBreakerError} (the usage guide's name). */
export type CircuitOpenError = CircuitBreakerError;

// Names live on the prototypes (not taken from `constructor.name`, which minifiers rename), so stacks start right.
for (const [name, errorClass] of Object.entries({
  GatewayError, GatewayConfigError, TransportNotAvailableError, ClientClosedError, GatewayHttpError,
  GatewayNetworkError, GatewayProtocolError, TimeoutError, CircuitBreakerError, RetryExhaustedError,
  PermissionDeniedError, PolicyEvaluationError, StdioTransportError, ProcessStartError, ProcessExitedError,
  JsonRpcError,
})) {
  Object.defineProperty(errorClass.prototype, 'name', { value: name, enumerable: false, configurable: true, writable: true });
}
