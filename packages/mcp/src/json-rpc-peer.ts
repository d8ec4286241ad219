import {
  ClientClosedError,
  GatewayConfigError,
  GatewayProtocolError,
  JsonRpcError,
  JsonRpcErrorCode,
  TimeoutError,
  UrlElicitationRequiredError,
  jsonSnapshot,
  redact,
  type JsonRpcId,
  type Logger,
  type McpProgress,
  type RequestSendOptions,
} from '@sark/core';
import {
  checkFunction,
  checkLogger,
  checkObject,
  checkOptionsObject,
  checkPositive,
  checkSignal,
  checkString,
  clampTimerMs,
  isWireObject,
  onAbort,
  redactedExcerpt,
} from '@sark/core/internal';

/** Options of one request (`timeoutMs` defaults to the peer's `requestTimeoutMs`). */
export type JsonRpcRequestOptions = RequestSendOptions;

/** Handler for server→client notifications. */
export type NotificationHandler = (method: string, params: unknown) => void;

/**
 * Answers one server→client request: its value is sent as `result`; a thrown `JsonRpcError` is sent with its code,
 * anything else as -32603 with a redacted message. `signal` aborts when the server cancels the request or the
 * connection closes.
 */
export type RequestHandler = (params: unknown, context: { readonly signal: AbortSignal }) => Promise<unknown>;

/** What a writer is told about the message it sends (to route a failure of its delivery). */
export interface OutgoingMessage {
  /** Set for requests and responses. */
  readonly id?: JsonRpcId;
  /** Set for requests and notifications. */
  readonly method?: string;
  /** A request's params as sent (the HTTP channel names `Mcp-Name` from them). */
  readonly params?: unknown;
}

/** Sends one serialised message (a line ending in `\n`) on the channel. May throw; may deliver asynchronously. */
export type MessageWriter = (line: string, message: OutgoingMessage) => void;

/** Server→client requests handled at the same time; more are refused with -32603 until some finish. */
export const MAX_CONCURRENT_SERVER_REQUESTS = 16;

/** What the peer saw that explains a request never answered (for handshake errors). */
export interface PeerDiagnosis {
  /** The start of the first line that was not a JSON-RPC message. */
  readonly firstSkippedLine: string | null;
  /** A response whose id matched no request, e.g. `"0"` for request 0. */
  readonly firstUnmatchedId: JsonRpcId | null;
}

/** Counters of a peer. */
export interface JsonRpcPeerMetrics {
  readonly requestsSent: number;
  readonly notificationsSent: number;
  readonly responsesReceived: number;
  readonly notificationsReceived: number;
  readonly requestsReceived: number;
  /** stdout lines that were not JSON-RPC messages (banners, logs, garbage). */
  readonly skippedLines: number;
  readonly pending: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  cleanup(): void;
  /** Set when the request asked for progress. */
  progress?: ((progress: McpProgress) => void) | undefined;
}

/**
 * JSON-RPC 2.0 over any message channel (stdio lines, HTTP bodies and SSE events): integer ids from 0 (never
 * reused), responses matched to their requests, server→client `ping` answered, other server requests to their
 * registered handler (else -32601), notifications to handlers, progress to the request that asked for it, and
 * `notifications/cancelled` sent when a request times out or is aborted (and honoured when the server cancels one of
 * its own).
 */
export class JsonRpcPeer {
  readonly #write: MessageWriter;
  /** Added to every request's `_meta` (MCP 2026-07-28 carries the protocol version and capabilities there). */
  #requestMeta: Readonly<Record<string, unknown>> | null = null;
  readonly #logger: Logger;
  readonly #requestTimeoutMs: number;
  readonly #pending = new Map<JsonRpcId, Pending>();
  readonly #handlers = new Set<NotificationHandler>();
  readonly #requestHandlers = new Map<string, RequestHandler>();
  /** Server requests being handled, by id: aborting one cancels its handler. */
  readonly #serving = new Map<JsonRpcId, AbortController>();
  #firstSkippedLine: string | null = null;
  #firstUnmatchedId: JsonRpcId | null = null;
  #nextId = 0;
  #closedWith: unknown = undefined;
  #requestsSent = 0;
  #notificationsSent = 0;
  #responsesReceived = 0;
  #notificationsReceived = 0;
  #requestsReceived = 0;
  #skippedLines = 0;

  constructor(write: MessageWriter, options: { requestTimeoutMs: number; logger: Logger }) {
    this.#write = checkFunction(write, 'JsonRpcPeer(write)');
    const { requestTimeoutMs, logger } = checkOptionsObject(options, 'JsonRpcPeer(options)');
    this.#requestTimeoutMs = checkPositive(requestTimeoutMs, 'JsonRpcPeer(options.requestTimeoutMs)');
    this.#logger = checkLogger(logger, 'JsonRpcPeer(options.logger)');
  }

  /**
   * Sends a request and resolves with its `result`; rejects with {@link JsonRpcError}, `TimeoutError` or the abort
   * reason.
   */
  /** Sets what every later request carries in `params._meta` (`null`: nothing). */
  setRequestMeta(meta: Readonly<Record<string, unknown>> | null): void {
    this.#requestMeta = meta === null ? null : checkObject(meta, 'setRequestMeta(meta)');
  }

  request<T = unknown>(method: string, params?: unknown, options: JsonRpcRequestOptions = {}): Promise<T> {
    if (this.#closedWith !== undefined) return Promise.reject(this.#closedWith);
    let signal: AbortSignal | undefined;
    try {
      checkString(method, 'request(method)');
      signal = checkSignal(checkOptionsObject(options, 'request(options)').signal, 'request(options.signal)');
    } catch (error) {
      return Promise.reject(error);
    }
    const { onProgress, resetTimeoutOnProgress = false } = options;
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    let timeoutMs: number;
    let maxTotalMs: number;
    let message: string;
    let sent: unknown;
    const id = this.#nextId++;
    try {
      timeoutMs =
        options.timeoutMs === undefined
          ? this.#requestTimeoutMs
          : checkPositive(options.timeoutMs, `${method}: timeoutMs`);
      maxTotalMs =
        options.maxTotalTimeoutMs === undefined
          ? Number.POSITIVE_INFINITY
          : checkPositive(options.maxTotalTimeoutMs, `${method}: maxTotalTimeoutMs`);
      const snapshot = params === undefined ? undefined : jsonSnapshot(params, `${method}: params`);
      const withMeta = this.#requestMeta === null ? snapshot : withRequestMeta(snapshot, this.#requestMeta, method);
      sent = withMeta === undefined ? undefined : withProgressToken(withMeta, id, onProgress, method);
      message = serialize({ jsonrpc: '2.0', id, method, ...(sent === undefined ? {} : { params: sent }) });
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      const cancel = (reason: unknown, why: string): void => {
        if (!this.#pending.delete(id)) return;
        cleanup();
        reject(reason);
        this.#trySend({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: why } });
      };
      const timedOut = (ms: number, what: string) => () =>
        cancel(
          new TimeoutError({ timeoutMs: ms, message: `Request "${method}" ${what} ${ms} ms` }),
          `Timed out after ${ms} ms`,
        );
      const arm = (): ReturnType<typeof setTimeout> | undefined =>
        Number.isFinite(timeoutMs)
          ? setTimeout(timedOut(timeoutMs, 'timed out after'), clampTimerMs(timeoutMs))
          : undefined;
      // The signal first: nothing is armed for a signal that cannot be listened to.
      const unsubscribe = signal
        ? onAbort(signal, () => cancel(signal.reason, 'Request aborted by the client'))
        : undefined;
      let timer = arm();
      const totalTimer = Number.isFinite(maxTotalMs)
        ? setTimeout(timedOut(maxTotalMs, 'exceeded maxTotalTimeoutMs of'), clampTimerMs(maxTotalMs))
        : undefined;
      const cleanup = (): void => {
        clearTimeout(timer);
        clearTimeout(totalTimer);
        unsubscribe?.();
      };
      const progress = onProgress
        ? (update: McpProgress): void => {
            if (resetTimeoutOnProgress) {
              clearTimeout(timer);
              timer = arm();
            }
            onProgress(update);
          }
        : undefined;
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, cleanup, progress });
      this.#requestsSent++;
      try {
        this.#write(message, { id, method, params: sent });
      } catch (error) {
        this.#pending.delete(id);
        cleanup();
        reject(error);
      }
    });
  }

  /** Sends a notification (no answer expected). */
  notify(method: string, params?: unknown): void {
    if (this.#closedWith !== undefined) throw this.#closedWith;
    const message = {
      jsonrpc: '2.0',
      method,
      ...(params === undefined ? {} : { params: jsonSnapshot(params, `${method}: params`) }),
    };
    this.#notificationsSent++;
    this.#write(serialize(message), { method });
  }

  /** Adds a notification handler; returns a function that removes it. */
  onNotification(handler: NotificationHandler): () => void {
    this.#handlers.add(checkFunction(handler, 'onNotification(handler)'));
    return () => this.#handlers.delete(handler);
  }

  /**
   * Handles server→client requests for `method` (one handler per method; a second replaces the first). Returns a
   * function that removes it.
   */
  setRequestHandler(method: string, handler: RequestHandler): () => void {
    checkString(method, 'setRequestHandler(method)');
    this.#requestHandlers.set(method, checkFunction(handler, 'setRequestHandler(handler)'));
    return () => {
      if (this.#requestHandlers.get(method) === handler) this.#requestHandlers.delete(method);
    };
  }

  /** Handles one message's text (a line, an SSE event); anything that is not a JSON-RPC message is skipped, counted. */
  receive(text: string): void {
    checkString(text, 'receive(text)');
    if (text === '' || text === '\r') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.#skip('not JSON', text);
      return;
    }
    this.receiveMessage(message, text);
  }

  /** Handles one parsed message (for channels that frame messages themselves). */
  receiveMessage(message: unknown, text = ''): void {
    checkString(text, 'receiveMessage(text)');
    if (!isWireObject(message) || message['jsonrpc'] !== '2.0') {
      this.#skip('not a JSON-RPC 2.0 message', text);
      return;
    }
    const { id, method } = message;
    const hasId = typeof id === 'number' || typeof id === 'string';
    if (typeof method === 'string') {
      if (hasId) this.#answerServerRequest(id, method, message['params']);
      else this.#dispatchNotification(method, message['params']);
      return;
    }
    if (hasId && ('result' in message || 'error' in message)) {
      this.#settle(id, message);
      return;
    }
    this.#skip('neither request, notification nor response', text);
  }

  /** What was seen that did not fit (the start of a non-JSON-RPC line, a response to no request). */
  diagnose(): PeerDiagnosis {
    return { firstSkippedLine: this.#firstSkippedLine, firstUnmatchedId: this.#firstUnmatchedId };
  }

  /**
   * A message too large to accept was dropped: when its first or last bytes name the id of a request of ours that
   * still waits (the id stands at the start or the end, depending on the sender's key order), that request fails at
   * once with a `GatewayProtocolError` naming the size and the limit, instead of waiting for its timeout. A message
   * whose ends name no such id (junk, a notification, an answer to nobody) fails nothing — the transport counts and
   * drops it — so an innocent request is never failed for a stranger's line.
   */
  failOversized(head: string, tail: string, bytes: number, limit: number): void {
    const id =
      topLevelId(checkString(head, 'failOversized(head)')) ?? trailingId(checkString(tail, 'failOversized(tail)'));
    const entry = id === undefined ? undefined : this.#pending.get(id);
    if (id === undefined || !entry) return;
    this.#pending.delete(id);
    entry.cleanup();
    entry.reject(
      new GatewayProtocolError({
        message:
          `the answer to request ${String(id)} was ${bytes} bytes or more, over maxMessageBytes ` +
          `(${limit}); it was dropped`,
      }),
    );
  }

  /** Whether a request of ours with this id still waits for its answer. */
  isPending(id: JsonRpcId): boolean {
    return this.#pending.has(id);
  }

  /** Fails one pending request (its delivery failed); no cancellation is sent. Returns whether it was pending. */
  failRequest(id: JsonRpcId, error: unknown): boolean {
    const entry = this.#pending.get(id);
    if (!entry) return false;
    this.#pending.delete(id);
    entry.cleanup();
    entry.reject(error);
    return true;
  }

  /** Rejects every pending request with `error`; later calls reject with it too. */
  close(error: unknown = new ClientClosedError({ message: 'The JSON-RPC connection is closed' })): void {
    if (this.#closedWith === undefined) this.#closedWith = error;
    this.failPending(error);
    for (const controller of this.#serving.values()) controller.abort(error);
    this.#serving.clear();
  }

  /** Rejects every pending request with `error` (the peer stays usable). */
  failPending(error: unknown): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) {
      entry.cleanup();
      entry.reject(error);
    }
  }

  getMetrics(): JsonRpcPeerMetrics {
    return {
      requestsSent: this.#requestsSent,
      notificationsSent: this.#notificationsSent,
      responsesReceived: this.#responsesReceived,
      notificationsReceived: this.#notificationsReceived,
      requestsReceived: this.#requestsReceived,
      skippedLines: this.#skippedLines,
      pending: this.#pending.size,
    };
  }

  #settle(id: JsonRpcId, message: Readonly<Record<string, unknown>>): void {
    const entry = this.#pending.get(id);
    if (!entry) {
      if (typeof id === 'string' || id >= this.#nextId) this.#firstUnmatchedId ??= id;
      this.#logger.debug({ id }, 'response for an unknown or cancelled request ignored');
      return;
    }
    this.#pending.delete(id);
    this.#responsesReceived++;
    entry.cleanup();
    const error = message['error'];
    if (error === undefined) {
      entry.resolve(message['result']);
      return;
    }
    const object = isWireObject(error) ? error : {};
    const code = typeof object['code'] === 'number' ? object['code'] : JsonRpcErrorCode.INTERNAL_ERROR;
    const text = typeof object['message'] === 'string' ? object['message'] : 'Unknown JSON-RPC error';
    entry.reject(
      code === URL_ELICITATION_REQUIRED
        ? new UrlElicitationRequiredError({ elicitations: urlElicitations(object['data']), data: object['data'] })
        : new JsonRpcError({ rpcCode: code, message: text, data: object['data'] }),
    );
  }

  #answerServerRequest(id: JsonRpcId, method: string, params: unknown): void {
    this.#requestsReceived++;
    if (method === 'ping') {
      this.#trySend({ jsonrpc: '2.0', id, result: {} });
      return;
    }
    const handler = this.#requestHandlers.get(method);
    if (!handler) {
      this.#trySendError(id, JsonRpcErrorCode.METHOD_NOT_FOUND, `Method not found: ${method}`);
      return;
    }
    if (this.#serving.size >= MAX_CONCURRENT_SERVER_REQUESTS || this.#serving.has(id)) {
      const why = this.#serving.has(id) ? `request id ${JSON.stringify(id)} is already in use` : 'too many requests';
      this.#trySendError(id, JsonRpcErrorCode.INTERNAL_ERROR, `${method}: ${why}`);
      return;
    }
    const controller = new AbortController();
    this.#serving.set(id, controller);
    void (async () => {
      try {
        const result = jsonSnapshot(await handler(params, { signal: controller.signal }), `${method}: result`);
        if (!controller.signal.aborted) this.#trySend({ jsonrpc: '2.0', id, result });
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof JsonRpcError) this.#trySendError(id, error.rpcCode, redact(error.message), error.data);
        else {
          this.#logger.warn({ method, err: error }, 'request handler failed');
          const text = error instanceof Error ? error.message : String(error);
          this.#trySendError(id, JsonRpcErrorCode.INTERNAL_ERROR, `${method} failed: ${redactedExcerpt(text, 500)}`);
        }
      } finally {
        if (this.#serving.get(id) === controller) this.#serving.delete(id);
      }
    })();
  }

  #trySendError(id: JsonRpcId, code: number, message: string, data?: unknown): void {
    this.#trySend({ jsonrpc: '2.0', id, error: { code, message, ...(data === undefined ? {} : { data }) } });
  }

  #dispatchNotification(method: string, params: unknown): void {
    this.#notificationsReceived++;
    if (method === 'notifications/progress' && this.#deliverProgress(params)) return;
    if (method === 'notifications/cancelled' && isWireObject(params)) {
      const requestId = params['requestId'];
      if (typeof requestId === 'number' || typeof requestId === 'string') {
        this.#serving.get(requestId)?.abort(new ClientClosedError({ message: 'The server cancelled its request' }));
        this.#serving.delete(requestId);
      }
    }
    for (const handler of this.#handlers) {
      try {
        handler(method, params);
      } catch (error) {
        this.#logger.warn({ method, err: error }, 'notification handler threw');
      }
    }
  }

  /** Progress for a request that asked for it goes to that request only; returns whether it did. */
  #deliverProgress(params: unknown): boolean {
    if (!isWireObject(params)) return false;
    const token = params['progressToken'];
    const entry = typeof token === 'number' ? this.#pending.get(token) : undefined;
    if (!entry?.progress || typeof params['progress'] !== 'number') return false;
    const update: { progress: number; total?: number; message?: string } = { progress: params['progress'] };
    if (typeof params['total'] === 'number') update.total = params['total'];
    if (typeof params['message'] === 'string') update.message = params['message'];
    try {
      entry.progress(update);
    } catch (error) {
      this.#logger.warn({ err: error }, 'progress handler threw');
    }
    return true;
  }

  #skip(why: string, text: string): void {
    this.#skippedLines++;
    this.#firstSkippedLine ??= text.slice(0, 200);
    this.#logger.debug({ why }, 'skipped a stdout line');
  }

  #trySend(message: object): void {
    if (this.#closedWith !== undefined) return;
    try {
      this.#write(serialize(message), message as OutgoingMessage);
    } catch (error) {
      this.#logger.debug({ err: error }, 'could not write to the server');
    }
  }
}

/** The params with `_meta.progressToken` set to the request's id when progress is asked for. */
/** `params` with `meta` added to its `_meta` (the caller's own `_meta` keys kept where they do not collide). */
function withRequestMeta(params: unknown, meta: Readonly<Record<string, unknown>>, method: string): unknown {
  if (params === undefined) return { _meta: meta };
  if (!isWireObject(params)) {
    throw new GatewayConfigError({ option: method, message: 'params must be an object (the request carries _meta)' });
  }
  const own = isWireObject(params['_meta']) ? params['_meta'] : {};
  return { ...params, _meta: { ...own, ...meta } };
}

function withProgressToken(params: unknown, id: number, onProgress: unknown, method: string): unknown {
  if (onProgress === undefined) return params;
  if (!isWireObject(params)) {
    throw new GatewayConfigError({ option: method, message: 'params must be an object to ask for progress' });
  }
  const meta = isWireObject(params['_meta']) ? params['_meta'] : {};
  return { ...params, _meta: { ...meta, progressToken: id } };
}

/** MCP: the server needs the user to open a page first (URL-mode elicitation, 2025-11-25). */
const URL_ELICITATION_REQUIRED = -32042;

/** The pages of a `-32042` error's `data.elicitations`. */
function urlElicitations(data: unknown): { url: string; message?: string; elicitationId?: string }[] {
  const list = isWireObject(data) && Array.isArray(data['elicitations']) ? data['elicitations'] : [];
  return list.filter(
    (item): item is { url: string; message?: string; elicitationId?: string } =>
      isWireObject(item) && typeof item['url'] === 'string',
  );
}

function serialize(message: object): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * The `id` member of the top-level object at the start of a JSON-RPC message, read without parsing the whole (too
 * large) message: only keys at depth 1 count, so an `id` inside `result` is never mistaken for it.
 */
function topLevelId(head: string): JsonRpcId | undefined {
  let depth = 0;
  for (let i = 0; i < head.length; i++) {
    const char = head[i];
    if (char === '"') {
      const end = stringEnd(head, i);
      if (end === -1) return undefined;
      if (depth === 1 && head.slice(i, end + 1) === '"id"') {
        const value = /^\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(head.slice(end + 1));
        if (value) return JSON.parse(value[1] as string) as JsonRpcId;
      }
      i = end;
    } else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
  }
  return undefined;
}

/**
 * The id of a JSON object whose text ends with `"id": <id>}`: the brace that ends the text closes the outermost object,
 * so an id right before it is that object's own (the MCP SDK writes `id` last).
 */
function trailingId(tail: string): JsonRpcId | undefined {
  const value = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/.exec(tail);
  return value ? (JSON.parse(value[1] as string) as JsonRpcId) : undefined;
}

/** The index of the quote that closes the string opening at `start`, or -1 when the text ends first. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
