import {
  ClientClosedError,
  GatewayProtocolError,
  JsonRpcError,
  JsonRpcErrorCode,
  TimeoutError,
  jsonSnapshot,
  type JsonRpcId,
  type Logger,
  type OperationOptions,
} from '@sark/core';
import { checkPositive, clampTimerMs, isWireObject, onAbort } from '@sark/core/internal';

/** Options of one request (`timeoutMs` defaults to the peer's `requestTimeoutMs`). */
export type JsonRpcRequestOptions = OperationOptions;

/** Handler for server→client notifications. */
export type NotificationHandler = (method: string, params: unknown) => void;

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
}

/**
 * JSON-RPC 2.0 over a line-oriented channel: integer ids from 0 (never reused), responses matched to their requests,
 * server→client `ping` answered and other server requests refused with -32601, notifications to handlers, and
 * `notifications/cancelled` sent when a request times out or is aborted.
 */
export class JsonRpcPeer {
  readonly #write: (line: string) => void;
  readonly #logger: Logger;
  readonly #requestTimeoutMs: number;
  readonly #pending = new Map<JsonRpcId, Pending>();
  readonly #handlers = new Set<NotificationHandler>();
  #nextId = 0;
  #closedWith: unknown = undefined;
  #requestsSent = 0;
  #notificationsSent = 0;
  #responsesReceived = 0;
  #notificationsReceived = 0;
  #requestsReceived = 0;
  #skippedLines = 0;

  constructor(write: (line: string) => void, options: { requestTimeoutMs: number; logger: Logger }) {
    this.#write = write;
    this.#requestTimeoutMs = options.requestTimeoutMs;
    this.#logger = options.logger;
  }

  /**
   * Sends a request and resolves with its `result`; rejects with {@link JsonRpcError}, `TimeoutError` or the abort
   * reason.
   */
  request<T = unknown>(method: string, params?: unknown, options: JsonRpcRequestOptions = {}): Promise<T> {
    if (this.#closedWith !== undefined) return Promise.reject(this.#closedWith);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    let timeoutMs: number;
    try {
      timeoutMs =
        options.timeoutMs === undefined
          ? this.#requestTimeoutMs
          : checkPositive(options.timeoutMs, `${method}: timeoutMs`);
    } catch (error) {
      return Promise.reject(error);
    }
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const cancel = (reason: unknown, message: string): void => {
        if (!this.#pending.delete(id)) return;
        cleanup();
        reject(reason);
        this.#trySend({
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: id, reason: message },
        });
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(
            () =>
              cancel(
                new TimeoutError({ timeoutMs, message: `Request "${method}" timed out after ${timeoutMs} ms` }),
                `Timed out after ${timeoutMs} ms`,
              ),
            clampTimerMs(timeoutMs),
          )
        : undefined;
      const unsubscribe = signal
        ? onAbort(signal, () => cancel(signal.reason, 'Request aborted by the client'))
        : undefined;
      const cleanup = (): void => {
        clearTimeout(timer);
        unsubscribe?.();
      };
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, cleanup });
      this.#requestsSent++;
      try {
        this.#write(
          serialize({
            jsonrpc: '2.0',
            id,
            method,
            ...(params === undefined ? {} : { params: jsonSnapshot(params, `${method}: params`) }),
          }),
        );
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
    this.#write(serialize(message));
  }

  /** Adds a notification handler; returns a function that removes it. */
  onNotification(handler: NotificationHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** Handles one line from the server. Anything that is not a JSON-RPC message is skipped and counted. */
  receive(line: Buffer): void {
    if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) return;
    let message: unknown;
    try {
      message = JSON.parse(line.toString('utf8'));
    } catch {
      this.#skip('not JSON');
      return;
    }
    if (!isWireObject(message) || message['jsonrpc'] !== '2.0') {
      this.#skip('not a JSON-RPC 2.0 message');
      return;
    }
    const { id, method } = message;
    const hasId = typeof id === 'number' || typeof id === 'string';
    if (typeof method === 'string') {
      if (hasId) this.#answerServerRequest(id, method);
      else this.#dispatchNotification(method, message['params']);
      return;
    }
    if (hasId && ('result' in message || 'error' in message)) {
      this.#settle(id, message);
      return;
    }
    this.#skip('neither request, notification nor response');
  }

  /**
   * A message too large to accept was dropped: the request it answered (its id read from the message's first
   * bytes, or the only one pending) fails at once with a `GatewayProtocolError` naming the size and the limit,
   * instead of waiting for its timeout.
   */
  failOversized(head: Buffer, bytes: number, limit: number): void {
    const id = topLevelId(head.toString('utf8'));
    const target =
      id !== undefined && this.#pending.has(id)
        ? id
        : this.#pending.size === 1
          ? [...this.#pending.keys()][0]
          : undefined;
    const entry = target === undefined ? undefined : this.#pending.get(target);
    if (target === undefined || !entry) return;
    this.#pending.delete(target);
    entry.cleanup();
    entry.reject(
      new GatewayProtocolError({
        message:
          `the answer to request ${String(target)} was ${bytes} bytes or more, over maxMessageBytes ` +
          `(${limit}); it was dropped`,
      }),
    );
  }

  /** Rejects every pending request with `error`; later calls reject with it too. */
  close(error: unknown = new ClientClosedError({ message: 'The JSON-RPC connection is closed' })): void {
    if (this.#closedWith === undefined) this.#closedWith = error;
    this.failPending(error);
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
    entry.reject(new JsonRpcError({ rpcCode: code, message: text, data: object['data'] }));
  }

  #answerServerRequest(id: JsonRpcId, method: string): void {
    this.#requestsReceived++;
    const answer =
      method === 'ping'
        ? { jsonrpc: '2.0', id, result: {} }
        : {
            jsonrpc: '2.0',
            id,
            error: { code: JsonRpcErrorCode.METHOD_NOT_FOUND, message: `Method not found: ${method}` },
          };
    this.#trySend(answer);
  }

  #dispatchNotification(method: string, params: unknown): void {
    this.#notificationsReceived++;
    for (const handler of this.#handlers) {
      try {
        handler(method, params);
      } catch (error) {
        this.#logger.warn({ method, err: error }, 'notification handler threw');
      }
    }
  }

  #skip(why: string): void {
    this.#skippedLines++;
    this.#logger.debug({ why }, 'skipped a stdout line');
  }

  #trySend(message: object): void {
    if (this.#closedWith !== undefined) return;
    try {
      this.#write(serialize(message));
    } catch (error) {
      this.#logger.debug({ err: error }, 'could not write to the server');
    }
  }
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

/** The index of the quote that closes the string opening at `start`, or -1 when the text ends first. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
