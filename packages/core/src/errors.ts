import { redact, redactCut, redactedExcerpt, redactUrl } from './redact';
import { shownValue } from './shown-value';

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
  | 'ERR_JSONRPC'
  | 'ERR_OAUTH';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const BODY_EXCERPT_BYTES = 1024;
/** Messages longer than this (a peer's JSON-RPC error text, say) are cut, after redaction. */
const MAX_MESSAGE_CHARS = 8192;

/** The message, redacted; a huge one is first cut to a bounded slice (redacting the piece at the cut too). */
function safeMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return redact(message);
  return redactedExcerpt(message.slice(0, 4 * MAX_MESSAGE_CHARS), MAX_MESSAGE_CHARS, { cutAtEnd: true });
}

/** Longer names of what an error is about (an option path, say) are cut: the message stays readable. */
const MAX_SUBJECT_CHARS = 200;

/**
 * `subject: message`, each redacted on its own: redacting the joined text would read `token: must be …` as a secret
 * named token and hide our own explanation, while a secret in either part is still removed.
 */
function composeMessage(subject: string | undefined, message: string): string {
  if (subject === undefined) return safeMessage(message);
  const name = subject.length > MAX_SUBJECT_CHARS ? `${subject.slice(0, MAX_SUBJECT_CHARS)}…` : subject;
  return `${redact(name)}: ${safeMessage(message)}`;
}

/**
 * The init an error was given, or `{}` when it is not an object: an error's constructor never throws — a throw there
 * would hide the failure the error was made to report.
 */
function fieldsOf<T>(init: T): T {
  return typeof init === 'object' && init !== null ? init : ({} as T);
}

type BrandedClass = { readonly brand?: symbol };
/** Inheritance deeper than this is not followed (a hostile prototype chain cannot make `instanceof` loop long). */
const MAX_CLASS_DEPTH = 64;

/** The brand a prototype's own class declares, if any. */
function brandOf(prototype: object): symbol | undefined {
  const owner: unknown = Object.hasOwn(prototype, 'constructor')
    ? (prototype as { constructor: unknown }).constructor
    : null;
  return typeof owner === 'function' && Object.hasOwn(owner, 'brand') ? (owner as BrandedClass).brand : undefined;
}

/** What every error's init object may carry: a message (each class has a default) and a cause. */
export interface GatewayErrorInit {
  message?: string | undefined;
  cause?: unknown | undefined;
}

function describeCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (cause instanceof GatewayError) return cause.toJSON();
  if (cause instanceof Error) return { name: cause.name, message: redact(cause.message) };
  return redact(cause);
}

/**
 * The base of every error @sark throws. Every class takes one init object (`new TimeoutError({ timeoutMs: 50 })`),
 * each with an optional `message` and `cause`. `instanceof` has its standard meaning — also for classes and
 * prototypes (`ProcessExitedError.prototype instanceof GatewayError`) — and works across two copies of the package
 * too (each class is branded with `Symbol.for`). No secret ever reaches `message`, `stack`, `toJSON()` or
 * `util.inspect` output: messages and fields are redacted when the error is made, and a foreign `cause` is shown only
 * by its redacted message.
 */
export class GatewayError extends Error {
  /** Identity shared by every copy of this class, and its name (`@sark/core:<name>`); subclasses declare their own. */
  static readonly brand: symbol = Symbol.for('@sark/core:GatewayError');

  static override [Symbol.hasInstance](instance: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, instance)) return true;
    // Another copy of the package: some class `instance` inherits from carries this class's brand (its prototype
    // chain is walked from the parent, so `X.prototype instanceof X` stays false, as it is for any class).
    if (!Object.hasOwn(this, 'brand')) return false;
    const brand = (this as BrandedClass).brand;
    let prototype: unknown = typeof instance === 'object' && instance !== null ? Object.getPrototypeOf(instance) : null;
    for (let depth = 0; depth < MAX_CLASS_DEPTH && typeof prototype === 'object' && prototype !== null; depth++) {
      if (brandOf(prototype) === brand) return true;
      prototype = Object.getPrototypeOf(prototype);
    }
    return false;
  }

  readonly code: GatewayErrorCode;
  /** The redacted summary of `cause`, taken when the error is made: while the secrets it may carry are still in use. */
  readonly #causeSummary: unknown;

  constructor(
    init: GatewayErrorInit = {},
    defaults: { message: string; code?: GatewayErrorCode; subject?: string | undefined } = {
      message: 'Gateway error',
    },
  ) {
    const { message, cause } = fieldsOf(init);
    const fallback = fieldsOf(defaults);
    super(
      composeMessage(
        typeof fallback.subject === 'string' ? fallback.subject : undefined,
        typeof message === 'string' ? message : typeof fallback.message === 'string' ? fallback.message : 'Error',
      ),
      cause === undefined ? undefined : { cause },
    );
    this.code = fallback.code ?? 'ERR_GATEWAY';
    this.#causeSummary = describeCause(cause);
  }

  /** The fields that describe this error besides name, code and message (already redacted). */
  protected details(): Record<string, unknown> {
    return {};
  }

  /** A JSON-safe, redacted description: name, code, message, the class's own fields and a summary of `cause`. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
      ...redact(this.details()),
    };
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

/** Fields of a {@link GatewayConfigError}. */
export interface GatewayConfigErrorInit extends GatewayErrorInit {
  /**
   * The option or argument at fault (`token`, `retry.maxAttempts`, `env.API_KEY`, `execute(signal)`): the message
   * reads `option: message`. Never its value.
   */
  option?: string | undefined;
}

/**
 * Options or arguments were invalid (for example no `gatewayUrl` for an HTTP operation, a header with CR/LF, or an
 * object where an `AbortSignal` belongs). Thrown at once, when the client is made or the call starts.
 */
export class GatewayConfigError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:GatewayConfigError');
  /** The option or argument at fault, when the error names one. */
  readonly option: string | undefined;
  constructor(value: GatewayConfigErrorInit = {}) {
    const init = fieldsOf(value);
    const option = typeof init.option === 'string' ? init.option : undefined;
    super(init, { message: 'Invalid configuration', code: 'ERR_CONFIG', subject: option });
    this.option = option;
  }
  protected override details(): Record<string, unknown> {
    return this.option === undefined ? {} : { option: this.option };
  }
}

/** Fields of a {@link TransportNotAvailableError}. */
export interface TransportNotAvailableInit extends GatewayErrorInit {
  transport: string;
}

/** The operation needs a transport that the client's `transportMode` (or runtime) does not allow. */
export class TransportNotAvailableError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:TransportNotAvailableError');
  readonly transport: string;
  constructor(value: TransportNotAvailableInit) {
    const init = fieldsOf(value);
    super(init, {
      message: `The ${shownValue(init.transport)} transport is not available here`,
      code: 'ERR_TRANSPORT_NOT_AVAILABLE',
    });
    this.transport = init.transport;
  }
  protected override details(): Record<string, unknown> {
    return { transport: this.transport };
  }
}

/** A call was made after `close()`. */
export class ClientClosedError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:ClientClosedError');
  constructor(init: GatewayErrorInit = {}) {
    super(init, { message: 'The client is closed', code: 'ERR_CLIENT_CLOSED' });
  }
}

/** Fields of a {@link GatewayHttpError}. */
export interface GatewayHttpErrorInit extends GatewayErrorInit {
  status: number;
  method: string;
  url: string;
  body?: string | undefined;
  /** The body is only the start of what the gateway sent (the transport stopped reading). */
  bodyTruncated?: boolean | undefined;
  retryAfterMs?: number | null | undefined;
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
  constructor(value: GatewayHttpErrorInit) {
    const init = fieldsOf(value);
    const url = redact(init.url);
    super(init, {
      message: `${shownValue(init.method)} ${shownValue(url)} failed with HTTP ${shownValue(init.status)}`,
      code: 'ERR_HTTP',
    });
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.body = redactedExcerpt(typeof init.body === 'string' ? init.body : '', BODY_EXCERPT_BYTES, {
      cutAtEnd: init.bodyTruncated === true,
    });
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
  protected override details(): Record<string, unknown> {
    return {
      status: this.status,
      method: this.method,
      url: this.url,
      body: this.body,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/** The connection failed: refused, reset, DNS, TLS. */
export class GatewayNetworkError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:GatewayNetworkError');
  constructor(init: GatewayErrorInit = {}) {
    super(init, { message: 'The connection to the gateway failed', code: 'ERR_NETWORK' });
  }
}

/** Fields of a {@link GatewayProtocolError}. */
export interface GatewayProtocolErrorInit extends GatewayErrorInit {
  /** Path of the offending field, e.g. `servers[3].tools_count`. */
  field?: string | undefined;
}

/** The peer sent something we cannot accept: bad JSON, a schema mismatch, an oversized response, bad framing. */
export class GatewayProtocolError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:GatewayProtocolError');
  readonly field: string | null;
  constructor(value: GatewayProtocolErrorInit = {}) {
    const init = fieldsOf(value);
    super(init, { message: 'The peer sent something that cannot be accepted', code: 'ERR_PROTOCOL' });
    this.field = init.field ?? null;
  }
  protected override details(): Record<string, unknown> {
    return this.field === null ? {} : { field: this.field };
  }
}

/** Fields of a {@link TimeoutError}. */
export interface TimeoutErrorInit extends GatewayErrorInit {
  timeoutMs: number;
}

/** A deadline passed. The underlying work was aborted. */
export class TimeoutError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:TimeoutError');
  readonly timeoutMs: number;
  constructor(value: TimeoutErrorInit) {
    const init = fieldsOf(value);
    super(init, { message: `Operation timed out after ${shownValue(init.timeoutMs)} ms`, code: 'ERR_TIMEOUT' });
    this.timeoutMs = init.timeoutMs;
  }
  protected override details(): Record<string, unknown> {
    return { timeoutMs: this.timeoutMs };
  }
}

/** Fields of a {@link CircuitBreakerError}. */
export interface CircuitBreakerErrorInit extends GatewayErrorInit {
  /** How long until the breaker lets a trial call through. */
  retryAfterMs: number;
}

/** The circuit breaker is open (or half-open and full): the call was not attempted. */
export class CircuitBreakerError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:CircuitBreakerError');
  /** How long until the breaker lets a trial call through. */
  readonly retryAfterMs: number;
  constructor(value: CircuitBreakerErrorInit) {
    const init = fieldsOf(value);
    super(init, {
      message: `Circuit breaker is open; retry after ${shownValue(init.retryAfterMs)} ms`,
      code: 'ERR_CIRCUIT_OPEN',
    });
    this.retryAfterMs = init.retryAfterMs;
  }
  protected override details(): Record<string, unknown> {
    return { retryAfterMs: this.retryAfterMs };
  }
}

/** Fields of a {@link RetryExhaustedError}. */
export interface RetryExhaustedErrorInit extends GatewayErrorInit {
  attempts: number;
  /** The last attempt's error. */
  cause: unknown;
}

/** Every allowed attempt failed with a retryable error; `cause` is the last one. */
export class RetryExhaustedError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:RetryExhaustedError');
  readonly attempts: number;
  constructor(value: RetryExhaustedErrorInit) {
    const init = fieldsOf(value);
    const last = init.cause instanceof Error ? `: ${shownValue(init.cause.message)}` : '';
    super(init, {
      message: `Gave up after ${shownValue(init.attempts)} attempt${init.attempts === 1 ? '' : 's'}${last}`,
      code: 'ERR_RETRY_EXHAUSTED',
    });
    this.attempts = init.attempts;
  }
  protected override details(): Record<string, unknown> {
    return { attempts: this.attempts };
  }
}

/** Fields of a {@link PermissionDeniedError}. */
export interface PermissionDeniedInit extends GatewayErrorInit {
  reason?: string | undefined;
  decisionId?: string | null | undefined;
}

/** The policy denied the call. Nothing was sent to the gateway. */
export class PermissionDeniedError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:PermissionDeniedError');
  readonly reason: string;
  readonly decisionId: string | null;
  constructor(value: PermissionDeniedInit = {}) {
    const init = fieldsOf(value);
    const reason = typeof init.reason === 'string' ? init.reason : 'Denied by policy';
    super(init, { message: `Permission denied: ${reason}`, code: 'ERR_PERMISSION_DENIED' });
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
  constructor(init: GatewayErrorInit = {}) {
    super(init, { message: 'The policy could not be evaluated; denying', code: 'ERR_POLICY' });
  }
}

/** A local (stdio) server failed in a way no more specific class describes. */
export class StdioTransportError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:StdioTransportError');
  constructor(
    init: GatewayErrorInit = {},
    defaults: { message: string; code: GatewayErrorCode } = { message: 'The local server failed', code: 'ERR_STDIO' },
  ) {
    super(init, defaults);
  }
}

/** Fields of a {@link ProcessStartError}. */
export interface ProcessStartErrorInit extends GatewayErrorInit {
  command: string;
}

/** A local server's process could not be started. */
export class ProcessStartError extends StdioTransportError {
  static override readonly brand: symbol = Symbol.for('@sark/core:ProcessStartError');
  readonly command: string;
  constructor(value: ProcessStartErrorInit) {
    const init = fieldsOf(value);
    super(init, { message: `Could not start "${shownValue(init.command)}"`, code: 'ERR_STDIO_START' });
    this.command = init.command;
  }
  protected override details(): Record<string, unknown> {
    return { command: this.command };
  }
}

/** Fields of a {@link ProcessExitedError}. */
export interface ProcessExitedInit extends GatewayErrorInit {
  exitCode: number | null;
  signal: string | null;
  stderrTail?: string | undefined;
}

/** A local server's process exited while requests were pending or were being sent. */
export class ProcessExitedError extends StdioTransportError {
  static override readonly brand: symbol = Symbol.for('@sark/core:ProcessExitedError');
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The last lines the process wrote to stderr, redacted. */
  readonly stderrTail: string;
  constructor(value: ProcessExitedInit) {
    const init = fieldsOf(value);
    const how = init.signal ? `signal ${shownValue(init.signal)}` : `code ${shownValue(init.exitCode)}`;
    // A tail is the end of a longer text: the start of it may hold the end of a secret.
    const stderrTail = redactCut(typeof init.stderrTail === 'string' ? init.stderrTail : '', { cutAtStart: true });
    const tail = stderrTail ? `; stderr: ${stderrTail.trim().split('\n').slice(-3).join(' | ')}` : '';
    super(init, { message: `Process exited with ${how}${tail}`, code: 'ERR_STDIO_EXITED' });
    this.exitCode = init.exitCode;
    this.signal = init.signal;
    this.stderrTail = stderrTail;
  }
  protected override details(): Record<string, unknown> {
    return { exitCode: this.exitCode, signal: this.signal, stderrTail: this.stderrTail };
  }
}

/** Fields of a {@link JsonRpcError}. */
export interface JsonRpcErrorInit extends GatewayErrorInit {
  /** The JSON-RPC error code (e.g. -32601). */
  rpcCode: number;
  data?: unknown | undefined;
}

/** The server answered a JSON-RPC request with an error object. */
export class JsonRpcError extends GatewayError {
  static override readonly brand: symbol = Symbol.for('@sark/core:JsonRpcError');
  /** The JSON-RPC error code (e.g. -32601). `code` stays `'ERR_JSONRPC'` like every @sark error. */
  readonly rpcCode: number;
  readonly data: unknown;
  constructor(value: JsonRpcErrorInit) {
    const init = fieldsOf(value);
    super(init, { message: `JSON-RPC error ${shownValue(init.rpcCode)}`, code: 'ERR_JSONRPC' });
    this.rpcCode = init.rpcCode;
    this.data = redact(init.data);
  }
  protected override details(): Record<string, unknown> {
    return { rpcCode: this.rpcCode, data: this.data };
  }
}

/** One page a server asks the user to open (URL-mode elicitation). */
export interface UrlElicitation {
  /** The page, redacted of secrets in its query and userinfo. */
  readonly url: string;
  readonly message: string;
  readonly elicitationId: string | null;
}

/** Fields of a {@link UrlElicitationRequiredError}. */
export interface UrlElicitationRequiredErrorInit extends GatewayErrorInit {
  elicitations: readonly { url: string; message?: string | undefined; elicitationId?: string | undefined }[];
  data?: unknown | undefined;
}

/** Most pages one error names. */
const MAX_ELICITATIONS = 8;

/**
 * The server needs the user to open a page first (consent, sign-in to a backend, payment): URL-mode elicitation
 * (`-32042`, or a URL-mode request this client has no handler for). `url` is the first page to open, `elicitations`
 * all of them — each URL redacted of secrets. Retry the call once the user is done.
 */
export class UrlElicitationRequiredError extends JsonRpcError {
  static override readonly brand: symbol = Symbol.for('@sark/core:UrlElicitationRequiredError');
  readonly elicitations: readonly UrlElicitation[];
  constructor(value: UrlElicitationRequiredErrorInit) {
    const init = fieldsOf(value);
    const given = Array.isArray(init.elicitations) ? init.elicitations.slice(0, MAX_ELICITATIONS) : [];
    const elicitations = given
      .filter((item) => typeof item === 'object' && item !== null && typeof item.url === 'string')
      .map((item) => ({
        url: safeUrl(item.url),
        message: typeof item.message === 'string' ? redact(item.message).slice(0, 500) : '',
        elicitationId: typeof item.elicitationId === 'string' ? item.elicitationId.slice(0, 200) : null,
      }));
    const first = elicitations[0]?.url ?? 'an unknown page';
    super({
      rpcCode: -32042,
      data: init.data,
      cause: init.cause,
      message: init.message ?? `The server needs the user to open ${first} first`,
    });
    this.elicitations = Object.freeze(elicitations);
  }

  /** The first page to open. */
  get url(): string | null {
    return this.elicitations[0]?.url ?? null;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), elicitations: this.elicitations };
  }
}

function safeUrl(url: string): string {
  try {
    return redactUrl(url).slice(0, 2048);
  } catch {
    return redact(url).slice(0, 2048);
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

/** Every error class, each declared once: its name comes from its brand. */
export const ERROR_CLASSES = [
  GatewayError,
  GatewayConfigError,
  TransportNotAvailableError,
  ClientClosedError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  TimeoutError,
  CircuitBreakerError,
  RetryExhaustedError,
  PermissionDeniedError,
  PolicyEvaluationError,
  StdioTransportError,
  ProcessStartError,
  ProcessExitedError,
  JsonRpcError,
  UrlElicitationRequiredError,
] as const;

// An error's name comes from the brand of its nearest branded class (not from `constructor.name`, which minifiers
// rename), so stacks start right. A getter on the base class rather than a value on every prototype: nothing runs per
// class at load time, so a bundle keeps only the classes it uses. Assigning a name gives the instance its own.
Object.defineProperty(GatewayError.prototype, 'name', {
  get(this: object): string {
    let prototype: unknown = this;
    for (let depth = 0; depth < MAX_CLASS_DEPTH && typeof prototype === 'object' && prototype !== null; depth++) {
      const brand = brandOf(prototype);
      if (brand !== undefined) return (brand.description ?? '').split(':')[1] ?? 'GatewayError';
      prototype = Object.getPrototypeOf(prototype);
    }
    return 'GatewayError';
  },
  set(this: object, value: unknown): void {
    Object.defineProperty(this, 'name', { value, writable: true, enumerable: true, configurable: true });
  },
  enumerable: false,
  configurable: true,
});
