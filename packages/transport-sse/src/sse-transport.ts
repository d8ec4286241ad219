import {
  ClientClosedError,
  GatewayConfigError,
  holdSecret,
  redactingLogger,
  silentLogger,
  type EventStreamTransport,
  type GatewayEvent,
  type Logger,
  type RequestAuthorizer,
  type StreamOptions,
} from '@sark/core';
import {
  checkAuthorizer,
  checkHeaderValue,
  checkInteger,
  checkOptionsObject,
  checkPositive,
  checkReconnectOptions,
  parseGatewayUrl,
  pathSegment,
  type GatewayBase,
  type ReconnectOptions,
} from '@sark/core/internal';
import { EventStream, type ConnectionState, type StreamCounters, type StreamSettings } from './event-stream';

/** Options of an {@link SseTransport}. */
export interface SseTransportOptions {
  gatewayUrl: string;
  /** Sent as `X-API-Key`. */
  apiKey?: string | undefined;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /**
   * Credentials asked for before each connection and told of each `401`/`403` (`OAuthClient` from `@sark/oauth`): a
   * refusal it resolves opens the connection again (at most 3 times), one it does not ends the stream.
   */
  auth?: RequestAuthorizer | undefined;
  /** Headers made for each connection as it is opened (e.g. OpenTelemetry's `traceparent`); checked like the others. */
  requestHeaders?: (() => Readonly<Record<string, string>>) | undefined;
  /** Streams open at the same time. Default 50. */
  maxConnections?: number | undefined;
  /** No byte (not even a keep-alive comment) for this long → reconnect. Default 60 000. */
  idleTimeoutMs?: number | undefined;
  /** Events buffered for a slow consumer before reading pauses. Default 1 000. */
  bufferSize?: number | undefined;
  /** Failed connection attempts in a row before the iterator throws `RetryExhaustedError`. Default unlimited. */
  maxReconnectAttempts?: number | undefined;
  /**
   * Waits between connections: exponential backoff (default 1 s doubling to 30 s, with ±25 % jitter) after a
   * connection that failed or delivered nothing; the server's `retry:` after one that delivered events. Every wait
   * lies within [`minDelayMs` (default 100), `maxDelayMs`], whatever the server says.
   */
  reconnect?: ReconnectOptions | undefined;
  /** Largest event accepted; a larger one is a protocol error and the stream reconnects. Default 1 MiB. */
  maxEventBytes?: number | undefined;
  logger?: Logger | undefined;
  /** Randomness for jitter (tests). */
  random?: (() => number) | undefined;
}

/** Counters of an {@link SseTransport}. */
export interface SseTransportMetrics extends StreamCounters {
  readonly activeStreams: number;
}

/** The health of the transport's streams. */
export interface SseHealth {
  readonly status: 'healthy' | 'degraded' | 'idle';
  /** `open` if any stream is connected, else `reconnecting`/`connecting` if any tries, else `idle`. */
  readonly connectionState: ConnectionState | 'idle';
  readonly activeStreams: number;
}

/**
 * The gateway's event streams (WIRE.md §2) as async iterables. Each `stream()` has its own connection, Last-Event-ID
 * and reconnect state; `break`, `signal` or `close()` release the connection at once.
 */
export class SseTransport implements EventStreamTransport {
  readonly #base: GatewayBase;
  readonly #options: SseTransportOptions;
  readonly #fetch: typeof fetch;
  readonly #logger: Logger;
  readonly #streams = new Set<EventStream>();
  readonly #counters: StreamCounters = { eventsReceived: 0, connectionsMade: 0, reconnections: 0, errors: 0 };
  readonly #releaseApiKey: () => void;
  readonly #settings: SseSettings;
  readonly #auth: RequestAuthorizer | undefined;
  #closed = false;

  constructor(value: SseTransportOptions) {
    // Read once: the API key checked (and held) here is the one every stream sends.
    const options = Object.freeze({ ...checkOptionsObject(value, 'SseTransport: options') });
    this.#base = parseGatewayUrl(options.gatewayUrl);
    this.#options = options;
    this.#settings = checkSseOptions(options);
    if (options.apiKey !== undefined) checkHeaderValue('X-API-Key', options.apiKey);
    this.#auth = checkAuthorizer(options.auth);
    const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
    if (!fetchImpl) throw new GatewayConfigError({ message: 'No fetch available in this runtime; pass options.fetch' });
    this.#fetch = fetchImpl;
    // Last: only a transport that was made holds its key.
    this.#releaseApiKey = holdSecret(options.apiKey);
    this.#logger = redactingLogger(options.logger ?? silentLogger);
  }

  /** Events from `endpoint` (default `/api/v1/events`), only of `eventTypes` when given. */
  stream(options: StreamOptions = {}): AsyncIterableIterator<GatewayEvent> {
    if (this.#closed) throw new ClientClosedError({ message: 'The SSE transport is closed' });
    const { maxConnections } = this.#settings;
    if (this.#streams.size >= maxConnections) {
      throw new GatewayConfigError({ message: `maxConnections (${maxConnections}) event streams are already open` });
    }
    const endpoint = options.endpoint ?? '/api/v1/events';
    if (!endpoint.startsWith('/'))
      throw new GatewayConfigError({ option: 'stream', message: 'endpoint must start with "/"' });
    const eventTypes = [...(options.eventTypes ?? [])];
    const query = new URLSearchParams(options.params ?? {});
    if (eventTypes.length > 0) query.set('event_types', eventTypes.join(','));
    const search = query.toString();
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (this.#options.apiKey !== undefined) headers['x-api-key'] = this.#options.apiKey;
    if (options.userToken !== undefined)
      headers['authorization'] = `Bearer ${checkHeaderValue('Authorization', options.userToken)}`;
    // The stream's user token is a secret in use for as long as the stream lives.
    const releaseUserToken = holdSecret(options.userToken);
    const stream: EventStream = new EventStream(
      {
        url: `${this.#base.origin}${this.#base.basePath}${endpoint}${search ? `?${search}` : ''}`,
        origin: this.#base.origin,
        headers,
        requestHeaders: this.#options.requestHeaders,
        auth: this.#auth,
        eventTypes: new Set(eventTypes),
        fetch: this.#fetch,
        ...this.#settings,
        random: this.#options.random ?? Math.random,
        logger: this.#logger,
        signal: options.signal,
        onReconnect: options.onReconnect,
        counters: this.#counters,
      },
      () => {
        this.#streams.delete(stream);
        releaseUserToken();
      },
    );
    if (stream.state !== 'closed') this.#streams.add(stream);
    return stream;
  }

  /** The audit stream (`/api/v1/audit/stream`). */
  streamAuditEvents(options: Omit<StreamOptions, 'endpoint'> = {}): AsyncIterableIterator<GatewayEvent> {
    return this.stream({ ...options, endpoint: '/api/v1/audit/stream' });
  }

  /** One server's stream (`/api/v1/servers/{name}/stream`). */
  streamServerEvents(
    serverName: string,
    options: Omit<StreamOptions, 'endpoint'> = {},
  ): AsyncIterableIterator<GatewayEvent> {
    return this.stream({
      ...options,
      endpoint: `/api/v1/servers/${pathSegment(serverName, 'streamServerEvents: serverName')}/stream`,
    });
  }

  getMetrics(): SseTransportMetrics {
    return { ...this.#counters, activeStreams: this.#streams.size };
  }

  health(): SseHealth {
    const states = [...this.#streams].map((s) => s.state);
    const connectionState = states.includes('open')
      ? 'open'
      : states.includes('reconnecting')
        ? 'reconnecting'
        : states.includes('connecting')
          ? 'connecting'
          : 'idle';
    const status = connectionState === 'reconnecting' ? 'degraded' : connectionState === 'idle' ? 'idle' : 'healthy';
    return { status, connectionState, activeStreams: this.#streams.size };
  }

  /** Closes every stream (their iterators end) and refuses new ones. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of [...this.#streams]) stream.close();
    this.#releaseApiKey();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The transport's options with their defaults, each checked. */
interface SseSettings extends StreamSettings {
  readonly maxConnections: number;
}

/** Every option checked once, when the transport is made (`GatewayConfigError` naming the option). */
function checkSseOptions(options: SseTransportOptions): SseSettings {
  const attempts = options.maxReconnectAttempts ?? Number.POSITIVE_INFINITY;
  return {
    maxConnections: checkInteger(options.maxConnections ?? 50, 'maxConnections', 1),
    idleTimeoutMs: checkPositive(options.idleTimeoutMs ?? 60_000, 'idleTimeoutMs'),
    bufferSize: checkInteger(options.bufferSize ?? 1000, 'bufferSize', 1),
    maxReconnectAttempts:
      attempts === Number.POSITIVE_INFINITY ? attempts : checkInteger(attempts, 'maxReconnectAttempts', 0),
    maxEventBytes: checkInteger(options.maxEventBytes ?? 1024 * 1024, 'maxEventBytes', 1),
    reconnect: checkReconnectOptions(options.reconnect ?? {}, 'reconnect'),
  };
}
