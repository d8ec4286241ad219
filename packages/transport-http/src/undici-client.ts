import type { IncomingHttpHeaders } from 'node:http';
import { ERROR_BODY_READ_BYTES, type RequestScope } from '@sark/core/internal';
import type { Dispatcher } from 'undici';
// The Pool alone, not undici's index: the index loads all of undici (fetch, WebSocket, EventSource, the cache, the
// mock agent) — 129 ms of CPU on Node 20 against 41 ms for the Pool, paid by every process that talks to a gateway
// (a `sark` command, a script). The same class: undici's index re-exports this module (a test checks it).
import Pool from 'undici/lib/dispatcher/pool.js';
import { networkError, tooLarge, type HttpClient, type HttpRequest, type HttpResponse } from './http-client';

/** Options of the undici client. */
export interface UndiciClientOptions {
  maxConnections: number;
}

/**
 * The Node client: one undici `Pool` for the gateway's origin, driven through `dispatch` with a handler of our own.
 * `request()` would make an async resource, a `Readable` and an abort listener per response only for us to read the
 * body back out of them; the handler gathers the bytes as they arrive, stops at the limit, and aborts through the
 * controller undici hands it when the request's scope (deadline or caller's signal) aborts.
 */
export function createUndiciClient(origin: string, options: UndiciClientOptions): HttpClient {
  const pool = new Pool(origin, { connections: options.maxConnections, pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    send(request, scope) {
      return new Promise<HttpResponse>((resolve, reject) => {
        const reader = new ResponseReader(request, scope, resolve, reject);
        try {
          pool.dispatch(
            { method: request.method, path: request.path, headers: request.headers, body: request.body ?? null },
            reader,
          );
        } catch (error) {
          reader.onResponseError(undefined, error as Error);
        }
      });
    },
    async close() {
      await pool.destroy();
    },
  };
}

/** Why a response was abandoned on purpose (not a failure of the connection). */
const EXCERPT_COMPLETE = new Error('error answer excerpt complete');

/** One response, read within its limits: a 2xx body up to `maxResponseBytes`, an error answer's first bytes. */
class ResponseReader implements Dispatcher.DispatchHandler {
  readonly #request: HttpRequest;
  readonly #scope: RequestScope;
  readonly #resolve: (response: HttpResponse) => void;
  readonly #reject: (error: unknown) => void;
  #controller: Dispatcher.DispatchController | null = null;
  #status = 0;
  #headers: IncomingHttpHeaders = {};
  #chunks: Buffer[] = [];
  #bytes = 0;
  /** Set when we abandon the body ourselves: too large (a 2xx), or the excerpt is complete (an error answer). */
  #abandoned: Error | null = null;
  #settled = false;
  /** The scope aborted: a started request is aborted through undici; one still queued fails now (and is aborted
   * when it would start, before a byte is sent). */
  readonly #onAbort = (): void => {
    if (this.#controller) this.#controller.abort(this.#scope.reason as Error);
    else this.#fail(this.#scope.reason);
  };

  constructor(
    request: HttpRequest,
    scope: RequestScope,
    resolve: (response: HttpResponse) => void,
    reject: (error: unknown) => void,
  ) {
    this.#request = request;
    this.#scope = scope;
    this.#resolve = resolve;
    this.#reject = reject;
    scope.addEventListener('abort', this.#onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#scope.aborted) controller.abort(this.#scope.reason as Error);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // informational (1xx): the real answer follows
    this.#status = statusCode;
    this.#headers = headers;
    if (!this.#ok()) return;
    const declared = Number(headerValue(headers, 'content-length'));
    if (declared > this.#request.maxResponseBytes) this.#abandon(controller, tooLarge(this.#request, declared));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#abandoned) return;
    this.#bytes += chunk.length;
    this.#chunks.push(chunk);
    if (this.#ok()) {
      if (this.#bytes > this.#request.maxResponseBytes) this.#abandon(controller, tooLarge(this.#request, this.#bytes));
    } else if (this.#bytes > ERROR_BODY_READ_BYTES) {
      // An error answer: only an excerpt is read, however much the peer sends.
      this.#abandon(controller, EXCERPT_COMPLETE);
    }
  }

  onResponseEnd(): void {
    this.#respond(false);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.#scope.aborted) return this.#fail(this.#scope.reason);
    if (this.#abandoned === EXCERPT_COMPLETE) return this.#respond(true);
    if (this.#abandoned) return this.#fail(this.#abandoned);
    // A failing error answer still gives what was read of it.
    if (this.#status !== 0 && !this.#ok()) return this.#respond(false);
    this.#fail(networkError(this.#request, error));
  }

  #ok(): boolean {
    return this.#status >= 200 && this.#status < 300;
  }

  #abandon(controller: Dispatcher.DispatchController, why: Error): void {
    this.#abandoned = why;
    controller.abort(why);
  }

  #respond(truncated: boolean): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#scope.removeEventListener('abort', this.#onAbort);
    const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, this.#bytes);
    const headers = this.#headers;
    const header = (name: string): string | undefined => headerValue(headers, name);
    if (this.#ok()) {
      this.#resolve({ status: this.#status, header, body: all.toString('utf8') });
      return;
    }
    const excerpt = all.subarray(0, ERROR_BODY_READ_BYTES).toString('utf8');
    this.#resolve({ status: this.#status, header, body: excerpt, bodyTruncated: truncated });
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#scope.removeEventListener('abort', this.#onAbort);
    this.#reject(error);
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
