import {
  ClientClosedError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  RetryExhaustedError,
  createGatewayEvent,
  redactUrl,
  type GatewayEvent,
  type Logger,
  type ReconnectEvent,
  type RequestAuthorizer,
} from '@sark/core';
import {
  addCheckedHeaders,
  clampTimerMs,
  isEchoableHeaderValue,
  onAbort,
  parseRetryAfter,
  readBodyExcerpt,
  reconnectDelay,
  redirectStep,
  type ReconnectSettings,
} from '@sark/core/internal';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { EventQueue } from './event-queue';

/** Where a stream's connection stands. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The settings every stream of a transport shares (checked, defaults applied). */
export interface StreamSettings {
  readonly idleTimeoutMs: number;
  readonly bufferSize: number;
  readonly maxReconnectAttempts: number;
  readonly maxEventBytes: number;
  /** The waits between connections; `minDelayMs` holds whatever the server's `retry:` or `Retry-After` says. */
  readonly reconnect: ReconnectSettings;
}

export interface EventStreamConfig extends StreamSettings {
  readonly url: string;
  /** The only origin the stream may connect to (the gateway's). */
  readonly origin: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Headers made for each connection as it is opened (checked). */
  readonly requestHeaders: (() => Readonly<Record<string, string>>) | undefined;
  /** Credentials for each connection (asked before it is opened, told of a `401`/`403`). */
  readonly auth: RequestAuthorizer | undefined;
  /** Yield only these types; empty = all. */
  readonly eventTypes: ReadonlySet<string>;
  readonly fetch: typeof fetch;
  readonly random: () => number;
  readonly logger: Logger;
  readonly signal: AbortSignal | undefined;
  readonly onReconnect: ((event: ReconnectEvent) => void) | undefined;
  readonly counters: StreamCounters;
}

/** Counters shared by the transport's streams. */
export interface StreamCounters {
  eventsReceived: number;
  connectionsMade: number;
  reconnections: number;
  errors: number;
}

/** How one connection ended. */
type Outcome =
  | { kind: 'stop' }
  | { kind: 'fatal'; error: unknown }
  | { kind: 'retry'; error: unknown; delayMs?: number; delivered: boolean };

/**
 * One event stream: connects, parses (WHATWG rules, via eventsource-parser), filters, buffers with back-pressure,
 * and reconnects by our policy — the server's `retry:` when it gave one, else exponential backoff with jitter,
 * resuming with `Last-Event-ID`. 204 ends the stream; 4xx other than 429 is fatal.
 */
export class EventStream implements AsyncIterableIterator<GatewayEvent> {
  readonly #config: EventStreamConfig;
  readonly #queue: EventQueue<GatewayEvent>;
  readonly #onFinish: () => void;
  #controller: AbortController | null = null;
  #lastEventId: string | null = null;
  #serverRetryMs: number | null = null;
  #state: ConnectionState = 'connecting';
  #finished = false;
  #wakeSleep: (() => void) | null = null;
  #unsubscribeAbort: (() => void) | undefined;

  constructor(config: EventStreamConfig, onFinish: () => void) {
    this.#config = config;
    this.#queue = new EventQueue(config.bufferSize);
    this.#onFinish = onFinish;
    const { signal } = config;
    if (signal?.aborted) {
      this.#finish(signal.reason);
      return;
    }
    this.#unsubscribeAbort = signal ? onAbort(signal, this.#onAbort) : undefined;
    void this.#run();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  next(): Promise<IteratorResult<GatewayEvent, undefined>> {
    return this.#queue.next();
  }

  /** Called by `break` / `return` in a `for await`: closes the connection. */
  async return(): Promise<IteratorResult<GatewayEvent, undefined>> {
    this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the stream: the connection is aborted, buffered events are dropped, the iterator ends. */
  close(reason?: unknown): void {
    this.#finish(reason, true);
  }

  readonly #onAbort = (): void => this.#finish(this.#config.signal?.reason, true);

  #finish(reason?: unknown, discard = false): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#state = 'closed';
    this.#controller?.abort(reason ?? new ClientClosedError({ message: 'The event stream was closed' }));
    this.#wakeSleep?.();
    this.#unsubscribeAbort?.();
    if (reason === undefined) this.#queue.end(discard);
    else this.#queue.fail(reason, discard);
    this.#onFinish();
  }

  async #run(): Promise<void> {
    let attempts = 0;
    while (!this.#finished) {
      // Anything thrown outside a connection's own handling — the caller's `requestHeaders` throwing or returning a
      // header that cannot be sent — ends the stream with that error: it would fail the same way on every attempt.
      const outcome = await this.#connectOnce().catch((error: unknown): Outcome => ({ kind: 'fatal', error }));
      if (this.#finished) return;
      if (outcome.kind === 'stop') return this.#finish();
      if (outcome.kind === 'fatal') {
        this.#config.counters.errors++;
        return this.#finish(outcome.error);
      }
      this.#config.counters.errors++;
      attempts = outcome.delivered ? 1 : attempts + 1;
      if (attempts > this.#config.maxReconnectAttempts) {
        return this.#finish(
          new RetryExhaustedError({
            attempts,
            cause: outcome.error,
            message: `Event stream gave up after ${attempts} failed connection attempts`,
          }),
        );
      }
      const delayMs = reconnectDelay(
        {
          attempt: attempts,
          delivered: outcome.delivered,
          serverRetryMs: this.#serverRetryMs,
          requestedMs: outcome.delayMs,
        },
        this.#config.reconnect,
        this.#config.random,
      );
      this.#state = 'reconnecting';
      this.#config.logger.debug(
        { url: redactUrl(this.#config.url), delayMs, attempt: attempts },
        'event stream reconnecting',
      );
      try {
        this.#config.onReconnect?.({ attempt: attempts, delayMs, error: outcome.error });
      } catch (error) {
        this.#config.logger.warn({ err: error }, 'onReconnect threw');
      }
      await this.#sleep(delayMs);
      if (this.#finished) return;
      this.#config.counters.reconnections++;
    }
  }

  async #connectOnce(): Promise<Outcome> {
    const controller = new AbortController();
    this.#controller = controller;
    const headers: Record<string, string> = { ...this.#config.headers };
    if (this.#lastEventId !== null) headers['last-event-id'] = this.#lastEventId;
    if (this.#config.requestHeaders) addCheckedHeaders(headers, this.#config.requestHeaders());
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const armIdle = (): void => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => controller.abort(new IdleTimeout()), clampTimerMs(this.#config.idleTimeoutMs));
    };
    let delivered = false;
    try {
      armIdle();
      let response: Response;
      let url = this.#config.url;
      for (let redirects = 0, authorizations = 0; ; redirects++) {
        const auth = this.#config.auth;
        const request = { url, method: 'GET', signal: controller.signal };
        // The authorizer may sign in (minutes, with a person at a browser): no idle deadline while it works.
        if (auth) clearTimeout(idleTimer);
        const sent = auth && (await auth.headers(request));
        if (auth) armIdle();
        try {
          response = await this.#config.fetch(url, {
            method: 'GET',
            headers: sent ? addCheckedHeaders({ ...headers }, sent) : headers,
            signal: controller.signal,
            cache: 'no-store',
            redirect: 'manual',
          });
        } catch (error) {
          return { kind: 'retry', error: this.#connectionError(error, controller), delivered };
        }
        if (auth && (response.status === 401 || response.status === 403) && authorizations++ < 3) {
          clearTimeout(idleTimer);
          const refused = response;
          const again = await auth
            .refused(request, { status: refused.status, headers: refused.headers, sent })
            .catch(async (error: unknown) => {
              await refused.body?.cancel().catch(() => undefined);
              throw error;
            });
          armIdle();
          if (again) {
            await refused.body?.cancel().catch(() => undefined);
            redirects--;
            continue;
          }
        }
        const step = redirectStep(
          { method: 'GET', url, origin: this.#config.origin, redirects },
          response.type === 'opaqueredirect' ? 0 : response.status,
          response.headers.get('location'),
        );
        if (step === null) break;
        if ('refused' in step) return { kind: 'fatal', error: await this.#httpError(response, url, step.refused) };
        await response.body?.cancel().catch(() => undefined);
        url = step.url;
      }
      const status = response.status;
      if (status === 204) return { kind: 'stop' };
      if (status !== 200) return this.#statusOutcome(response);
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.startsWith('text/event-stream')) {
        await response.body?.cancel().catch(() => undefined);
        return {
          kind: 'fatal',
          error: new GatewayProtocolError({
            message: `GET ${redactUrl(this.#config.url)}: expected text/event-stream, got "${contentType}"`,
          }),
        };
      }
      if (!response.body)
        return {
          kind: 'retry',
          error: new GatewayProtocolError({ message: 'event stream without a body' }),
          delivered,
        };
      this.#state = 'open';
      this.#config.counters.connectionsMade++;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let protocolError: GatewayProtocolError | null = null;
      let endsInCr = false;
      const parser = createParser({
        onEvent: (message) => {
          delivered = true;
          this.#deliver(message);
        },
        onRetry: (ms) => {
          this.#serverRetryMs = ms;
        },
        onError: (error) => {
          if (error.type === 'max-buffer-size-exceeded') {
            protocolError = new GatewayProtocolError({
              message: `an event exceeded maxEventBytes (${this.#config.maxEventBytes})`,
            });
          }
        },
        maxBufferSize: this.#config.maxEventBytes,
      });
      try {
        for (;;) {
          if (this.#queue.size >= this.#config.bufferSize) {
            // A slow consumer: stop reading (the server feels it through TCP) and do not count the pause as idle.
            clearTimeout(idleTimer);
            await this.#queue.room();
            armIdle();
          }
          if (this.#finished) return { kind: 'stop' };
          const { done, value } = await reader.read();
          if (done) {
            // A stream ending in a lone CR ended its line; the parser still waits to see whether LF follows.
            if (endsInCr) parser.feed('\n');
            break;
          }
          armIdle();
          const text = decoder.decode(value, { stream: true });
          if (text.length > 0) endsInCr = text.endsWith('\r');
          // Real back-pressure inside a chunk too: one chunk may hold thousands of events. An event takes at least
          // MIN_EVENT_CHARS, so feeding at most room × MIN_EVENT_CHARS characters at a time can never queue more than
          // the buffer has room for (give or take the one event already under way); reading waits when it is full.
          for (let offset = 0; offset < text.length;) {
            if (this.#queue.size >= this.#config.bufferSize) {
              clearTimeout(idleTimer);
              await this.#queue.room();
              if (this.#finished) return { kind: 'stop' };
              armIdle();
            }
            const room = this.#config.bufferSize - this.#queue.size;
            const end = Math.min(text.length, offset + Math.max(1, room - 1) * MIN_EVENT_CHARS);
            parser.feed(offset === 0 && end === text.length ? text : text.slice(offset, end));
            offset = end;
            if (protocolError) {
              await reader.cancel().catch(() => undefined);
              return { kind: 'retry', error: protocolError, delivered };
            }
          }
        }
      } catch (error) {
        return { kind: 'retry', error: this.#connectionError(error, controller), delivered };
      }
      return { kind: 'retry', error: new GatewayNetworkError({ message: 'the event stream ended' }), delivered };
    } finally {
      clearTimeout(idleTimer);
      if (this.#controller === controller) this.#controller = null;
    }
  }

  #deliver(message: EventSourceMessage): void {
    // An id that cannot travel back as a header is not used for resumption: the last usable one is kept.
    if (message.id !== undefined && isEchoableHeaderValue(message.id)) this.#lastEventId = message.id;
    this.#config.counters.eventsReceived++;
    const eventType = message.event || 'message';
    if (this.#config.eventTypes.size > 0 && !this.#config.eventTypes.has(eventType)) return;
    this.#queue.push(
      createGatewayEvent({ eventType, data: message.data, eventId: message.id ?? null, retryMs: this.#serverRetryMs }),
    );
  }

  async #statusOutcome(response: Response): Promise<Outcome> {
    const error = await this.#httpError(response, this.#config.url);
    const retryAfterMs = error.retryAfterMs;
    if (response.status === 429)
      return {
        kind: 'retry',
        error,
        delivered: false,
        ...(retryAfterMs === null ? {} : { delayMs: Math.min(retryAfterMs, this.#config.reconnect.maxDelayMs) }),
      };
    if (response.status >= 500) return { kind: 'retry', error, delivered: false };
    return { kind: 'fatal', error };
  }

  /** The error for a refused answer; only an excerpt of its body is read. */
  async #httpError(response: Response, url: string, why?: string): Promise<GatewayHttpError> {
    const { text, truncated } = await readBodyExcerpt(response.body);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const init = {
      status: response.type === 'opaqueredirect' ? 0 : response.status,
      method: 'GET',
      url,
      body: text,
      bodyTruncated: truncated,
      retryAfterMs,
    };
    return why === undefined
      ? new GatewayHttpError(init)
      : new GatewayHttpError({ ...init, message: `GET ${redactUrl(url)} failed with HTTP ${init.status}: ${why}` });
  }

  #connectionError(error: unknown, controller: AbortController): unknown {
    if (controller.signal.reason instanceof IdleTimeout) {
      return new GatewayNetworkError({ message: `no data for ${this.#config.idleTimeoutMs} ms on the event stream` });
    }
    const detail = error instanceof Error ? error.message : String(error);
    return new GatewayNetworkError({ message: `GET ${redactUrl(this.#config.url)} failed: ${detail}`, cause: error });
  }

  /** Waits between connections; `#finish` (close, break, the caller's abort) wakes it at once. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, clampTimerMs(ms));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeSleep = done;
    });
  }
}

/** The fewest characters one dispatched event takes on the wire (`data\n\n`). */
const MIN_EVENT_CHARS = 6;

/** The abort reason of a connection that went quiet for longer than `idleTimeoutMs`. */
class IdleTimeout extends Error {
  constructor() {
    super('idle timeout');
  }
}
