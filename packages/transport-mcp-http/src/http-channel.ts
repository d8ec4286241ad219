import {
  ClientClosedError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  holdSecret,
  type Logger,
  type RequestAuthorizer,
} from '@sark/core';
import {
  addCheckedHeaders,
  checkHeaderValue,
  delay,
  holdSecretHeaders,
  isEchoableHeaderValue,
  parseRetryAfter,
  readBodyExcerpt,
  reconnectDelay,
  redactedExcerpt,
  redirectStep,
  setOwn,
  type ReconnectSettings,
  type StopDelay,
  type Telemetry,
} from '@sark/core/internal';
import {
  JsonRpcPeer,
  STATELESS_PROTOCOL_VERSION,
  encodeHeaderValue,
  type OutgoingMessage,
  type ToolHeaders,
} from '@sark/mcp';
import { readBodyText } from './read-body';
import { readSse, type SseEnd } from './sse-reader';

/** What the channel needs to know; resolved and checked by `RemoteServer.connect`. */
export interface ChannelSettings {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly token: (() => string | Promise<string>) | undefined;
  /** OAuth (`@sark/oauth`): its headers on every request; a refusal it resolves sends the request again. */
  readonly auth: RequestAuthorizer | undefined;
  readonly fetch: typeof fetch;
  readonly requestTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly reconnect: ReconnectSettings & { readonly maxAttempts: number };
  /** The tools' `Mcp-Param-*` headers (SEP-2243), learnt from `tools/list`. */
  readonly toolHeaders: ToolHeaders;
  readonly logger: Logger;
  /** Spans of MCP requests, and `traceparent` on every HTTP request. */
  readonly telemetry: Telemetry | null;
}

/** Times one request is sent again after its authorizer got new credentials (the MCP spec's bound on step-up). */
const MAX_AUTHORIZATIONS = 3;

/** Failed reconnections in a row after which the server's own stream is given up (it is optional). */
const STREAM_GIVE_UP = 'the server stream was given up';

/**
 * MCP Streamable HTTP (2025-11-25) under a {@link JsonRpcPeer}: every message is POSTed; a request's answer comes as
 * JSON or as an SSE stream (which may carry the server's own requests and notifications first); a stream that ends
 * before the answer is resumed with GET + `Last-Event-ID` after the server's `retry:`; `Mcp-Session-Id` and
 * `MCP-Protocol-Version` go on every request once known; a GET stream carries the server's messages between
 * requests; `close()` DELETEs the session. Redirects are followed only on the same origin.
 */
export class StreamableHttpChannel {
  readonly peer: JsonRpcPeer;
  readonly #settings: ChannelSettings;
  /** Aborts every request and every body being read, at `close()`. */
  readonly #closing = new AbortController();
  readonly #waits = new Set<StopDelay>();
  #sessionId: string | null = null;
  #protocolVersion: string | null = null;
  #closed = false;
  #listening: Promise<void> | null = null;
  #resumptions = 0;
  #streamReconnections = 0;

  constructor(settings: ChannelSettings) {
    this.#settings = settings;
    this.peer = new JsonRpcPeer((line, message) => this.#send(line, message), {
      requestTimeoutMs: settings.requestTimeoutMs,
      logger: settings.logger,
    });
  }

  get telemetry(): Telemetry | null {
    return this.#settings.telemetry;
  }

  get sessionId(): string | null {
    return this.#sessionId;
  }

  /**
   * Sent as `MCP-Protocol-Version` on every request once known (`null` again: not yet agreed). 2026-07-28 is
   * stateless: no session, no server stream.
   */
  set protocolVersion(version: string | null) {
    this.#protocolVersion = version;
  }

  get stateless(): boolean {
    return this.#protocolVersion === STATELESS_PROTOCOL_VERSION;
  }

  getMetrics(): { readonly resumptions: number; readonly streamReconnections: number } {
    return { resumptions: this.#resumptions, streamReconnections: this.#streamReconnections };
  }

  /** Opens the GET stream for the server's own messages (optional for servers: a refusal ends it quietly). */
  listen(): void {
    if (this.stateless) return; // 2026-07-28: GET is not served
    this.#listening ??= this.#listen().catch((error: unknown) => {
      if (!this.#closed) this.#settings.logger.debug({ err: error }, 'server stream ended');
    });
  }

  /** Aborts every request and stream, ends every wait, DELETEs the session (best effort). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new ClientClosedError({ message: 'The remote MCP server connection is closed' });
    this.peer.close(closed);
    for (const stop of [...this.#waits]) stop(closed);
    this.#closing.abort(closed);
    if (this.#sessionId !== null) {
      await this.#request('DELETE', undefined, {}, { ignoreClosed: true, timeoutMs: 2000 })
        .then((response) => response.body?.cancel())
        .catch(() => undefined);
    }
    await this.#listening;
  }

  /** The peer's writer: delivery is asynchronous; a failed delivery fails the request it carried. */
  #send(line: string, message: OutgoingMessage): void {
    if (this.#closed) throw new ClientClosedError({ message: 'The remote MCP server connection is closed' });
    void this.#deliver(line, message).catch((error: unknown) => {
      const isRequest = message.id !== undefined && message.method !== undefined;
      if (isRequest && this.peer.failRequest(message.id as string | number, error)) return;
      if (!this.#closed)
        this.#settings.logger.warn({ err: error, method: message.method }, 'MCP message not delivered');
    });
  }

  async #deliver(line: string, message: OutgoingMessage): Promise<void> {
    const response = await this.#request('POST', line, {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...this.#standardHeaders(message),
    });
    if (message.method === 'initialize') {
      const session = response.headers.get('mcp-session-id');
      if (session !== null && !isEchoableHeaderValue(session)) {
        await response.body?.cancel().catch(() => undefined);
        throw new GatewayProtocolError({
          message: 'The MCP server sent an Mcp-Session-Id that cannot be sent back (not printable ASCII, or too long)',
          field: 'Mcp-Session-Id',
        });
      }
      if (session !== null) this.#sessionId = session;
    }
    if (response.status === 202 || response.status === 204) {
      await response.body?.cancel().catch(() => undefined);
      return;
    }
    await this.#failUnlessOk(response, 'POST');
    const type = response.headers.get('content-type') ?? '';
    const requestId = message.method !== undefined ? message.id : undefined;
    if (type.includes('text/event-stream')) {
      if (!response.body) throw new GatewayProtocolError({ message: 'An SSE answer without a body' });
      await this.#readRequestStream(response.body, requestId);
      return;
    }
    if (type.includes('application/json')) {
      const text = await readBodyText(response.body, this.#settings.maxMessageBytes);
      this.#receiveJson(text);
      return;
    }
    await response.body?.cancel().catch(() => undefined);
    if (requestId === undefined) return;
    throw new GatewayProtocolError({
      message: `The MCP server answered a request with content-type "${redactedExcerpt(type, 80)}"`,
    });
  }

  /**
   * SEP-2243's headers (MCP 2026-07-28; harmless to older servers): `Mcp-Method` on every request and notification,
   * `Mcp-Name` with the tool, prompt or resource named, and the `Mcp-Param-*` a tool's schema designates.
   */
  #standardHeaders(message: OutgoingMessage): Record<string, string> {
    const { method, params } = message;
    if (method === undefined) return {};
    const headers: Record<string, string> = { 'mcp-method': encodeHeaderValue(method) };
    const named = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
    const name =
      method === 'resources/read'
        ? named['uri']
        : method === 'tools/call' || method === 'prompts/get'
          ? named['name']
          : undefined;
    if (typeof name === 'string') headers['mcp-name'] = encodeHeaderValue(name);
    if (method === 'tools/call' && typeof name === 'string') {
      Object.assign(headers, this.#settings.toolHeaders.headersFor(name, named['arguments']));
    }
    return headers;
  }

  /** A JSON answer: one message or a batch of them. */
  #receiveJson(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.peer.receive(text); // counted and skipped by the peer
      return;
    }
    if (Array.isArray(parsed)) for (const message of parsed.slice(0, 1000)) this.peer.receiveMessage(message);
    else this.peer.receiveMessage(parsed, text);
  }

  /**
   * Reads a request's SSE answer; when the stream ends while the request still waits, resumes it with GET and
   * `Last-Event-ID` after the server's `retry:` (else the backoff), at most `reconnect.maxAttempts` times in a row.
   */
  async #readRequestStream(body: ReadableStream<Uint8Array>, requestId: string | number | undefined): Promise<void> {
    const waiting = (): boolean => requestId !== undefined && this.peer.isPending(requestId);
    let end = await this.#readEvents(body, undefined, () => !waiting());
    let delivered = end.lastEventId !== undefined;
    let failures = 0;
    while (waiting() && !this.#closed) {
      if (end.lastEventId === undefined) {
        throw new GatewayProtocolError({
          message: 'The answer stream ended before the answer, with no event id to resume from',
        });
      }
      if (failures >= this.#settings.reconnect.maxAttempts) {
        throw new GatewayNetworkError({ message: `The answer stream could not be resumed after ${failures} attempts` });
      }
      await this.#wait(this.#reconnectDelay(failures, delivered, end.retryMs));
      this.#resumptions++;
      const response = await this.#request('GET', undefined, {
        accept: 'text/event-stream',
        'last-event-id': end.lastEventId,
      });
      await this.#failUnlessOk(response, 'GET');
      if (!response.body) throw new GatewayProtocolError({ message: 'A resumed stream without a body' });
      const resumed = await this.#readEvents(response.body, end.lastEventId, () => !waiting());
      delivered = resumed.lastEventId !== end.lastEventId;
      failures = delivered ? 0 : failures + 1;
      end = { lastEventId: resumed.lastEventId, retryMs: resumed.retryMs ?? end.retryMs };
    }
  }

  async #listen(): Promise<void> {
    let lastEventId: string | undefined;
    let retryMs: number | undefined;
    let failures = 0;
    while (!this.#closed) {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const response = await this.#request('GET', undefined, headers);
      const type = response.headers.get('content-type') ?? '';
      if (!response.ok || !type.includes('text/event-stream') || !response.body) {
        // 405 (no server stream), 400/404 (stateless servers): the stream is optional, so it just ends.
        await response.body?.cancel().catch(() => undefined);
        return;
      }
      const end = await this.#readEvents(response.body, lastEventId, () => this.#closed);
      const delivered = end.lastEventId !== lastEventId;
      lastEventId = end.lastEventId;
      retryMs = end.retryMs ?? retryMs;
      failures = delivered ? 0 : failures + 1;
      if (failures >= this.#settings.reconnect.maxAttempts) throw new Error(STREAM_GIVE_UP);
      await this.#wait(this.#reconnectDelay(failures, delivered, retryMs));
      this.#streamReconnections++;
    }
  }

  /** The wait before re-opening a stream: the server's `retry:` or the backoff, within `[minDelayMs, maxDelayMs]`. */
  #reconnectDelay(failures: number, delivered: boolean, retryMs: number | undefined): number {
    return reconnectDelay(
      { attempt: failures + 1, delivered, serverRetryMs: retryMs ?? null },
      this.#settings.reconnect,
    );
  }

  #readEvents(body: ReadableStream<Uint8Array>, lastEventId: string | undefined, stop: () => boolean): Promise<SseEnd> {
    return readSse(body, (data) => this.peer.receive(data), {
      maxEventBytes: this.#settings.maxMessageBytes,
      lastEventId,
      stop,
    });
  }

  async #failUnlessOk(response: Response, method: string): Promise<void> {
    if (response.ok) return;
    const { text, truncated } = await readBodyExcerpt(response.body);
    const expired = response.status === 404 && this.#sessionId !== null;
    throw new GatewayHttpError({
      status: response.status,
      method,
      url: this.#settings.url.href,
      body: text,
      bodyTruncated: truncated,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      message: expired
        ? `The MCP session ${redactedExcerpt(this.#sessionId ?? '', 40)} is no longer known to the server (HTTP 404)`
        : undefined,
    });
  }

  /** One HTTP request with the session's headers, following same-origin redirects only; `close()` aborts it. */
  async #request(
    method: 'GET' | 'POST' | 'DELETE',
    body: string | undefined,
    extra: Readonly<Record<string, string>>,
    options: { ignoreClosed?: boolean; timeoutMs?: number } = {},
  ): Promise<Response> {
    if (this.#closed && !options.ignoreClosed)
      throw new ClientClosedError({ message: 'The remote MCP server connection is closed' });
    const { url, token } = this.#settings;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.#settings.headers)) setOwn(headers, name, value);
    for (const [name, value] of Object.entries(extra)) setOwn(headers, name, value);
    if (this.#sessionId !== null) headers['mcp-session-id'] = this.#sessionId;
    if (this.#protocolVersion !== null) headers['mcp-protocol-version'] = this.#protocolVersion;
    if (this.#settings.telemetry) addCheckedHeaders(headers, this.#settings.telemetry.traceHeaders());
    let release = (): void => undefined;
    if (token) {
      const value = await token();
      release = holdSecret(value);
      headers['authorization'] = `Bearer ${checkHeaderValue('Authorization', value)}`;
    }
    // The body of an answer may be read long after this returns: the channel's signal covers it until close().
    const signal = options.timeoutMs === undefined ? this.#closing.signal : AbortSignal.timeout(options.timeoutMs);
    const { auth } = this.#settings;
    try {
      if (auth === undefined) return await this.#fetchFollowing(method, body, headers, signal);
      for (let authorizations = 0; ; authorizations++) {
        const request = { url: url.href, method, signal };
        const sent = await auth.headers(request);
        const releaseSent = holdSecretHeaders(sent);
        try {
          const response = await this.#fetchFollowing(method, body, addCheckedHeaders({ ...headers }, sent), signal);
          const refused = response.status === 401 || response.status === 403;
          if (!refused || authorizations >= MAX_AUTHORIZATIONS) return response;
          if (!(await auth.refused(request, { status: response.status, headers: response.headers, sent }))) {
            return response;
          }
          await response.body?.cancel().catch(() => undefined);
        } finally {
          for (const release of releaseSent) release();
        }
      }
    } finally {
      release();
    }
  }

  /** One request, following same-origin redirects only. */
  async #fetchFollowing(
    method: 'GET' | 'POST' | 'DELETE',
    body: string | undefined,
    headers: Readonly<Record<string, string>>,
    signal: AbortSignal,
  ): Promise<Response> {
    const { url } = this.#settings;
    let target = url.href;
    for (let redirects = 0; ; redirects++) {
      let response: Response;
      try {
        const init: RequestInit = { method, headers, signal, redirect: 'manual' };
        if (body !== undefined) init.body = body;
        response = await this.#settings.fetch(target, init);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const detail = error instanceof Error ? error.message : String(error);
        throw new GatewayNetworkError({ message: `${method} ${target} failed: ${detail}`, cause: error });
      }
      const status = response.type === 'opaqueredirect' ? 0 : response.status;
      const step = redirectStep(
        { method, url: target, origin: url.origin, redirects },
        status,
        response.headers.get('location'),
      );
      if (step === null) return response;
      await response.body?.cancel().catch(() => undefined);
      if ('refused' in step) {
        throw new GatewayHttpError({
          status: response.status,
          method,
          url: target,
          message: `${method} ${target}: ${step.refused}`,
        });
      }
      target = step.url;
    }
  }

  #wait(ms: number): Promise<void> {
    if (this.#closed)
      return Promise.reject(new ClientClosedError({ message: 'The remote MCP server connection is closed' }));
    return delay(ms, undefined, this.#waits);
  }
}
