import { afterEach, describe, expect, it } from 'vitest';
import {
  ClientClosedError,
  GatewayConfigError,
  GatewayHttpError,
  RetryExhaustedError,
  type GatewayEvent,
  type Logger,
  type RequestAuthorizer,
} from '@sark/core';
import { MAX_ECHOED_HEADER_CHARS } from '@sark/core/internal';
import { SseTransport, type SseTransportOptions } from '@sark/transport-sse';
import { sseScenario } from './support/scenario';

const open: SseTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function transport(options: SseTransportOptions) {
  const t = new SseTransport({ reconnect: { initialDelayMs: 10, jitter: false, minDelayMs: 1 }, ...options });
  open.push(t);
  return t;
}

async function collect(iterable: AsyncIterable<GatewayEvent>, limit = Number.POSITIVE_INFINITY) {
  const events: GatewayEvent[] = [];
  for await (const event of iterable) {
    events.push(event);
    if (events.length >= limit) break;
  }
  return events;
}

function recordingLogger() {
  const delays: number[] = [];
  const logger: Logger = {
    debug: (fields, message) => {
      if (message === 'event stream reconnecting') delays.push(fields['delayMs'] as number);
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
  return { logger, delays };
}

describe('parsing (WHATWG rules)', () => {
  const parse = async (raw: string[]) => {
    const stub = await sseScenario({ raw });
    return collect(transport({ gatewayUrl: stub.gatewayUrl }).stream());
  };

  it('multi-line data, CRLF / CR / LF line ends, comments, a leading space stripped once', async () => {
    const events = await parse([
      ': keep-alive\r\n',
      'data: first\r\ndata:  second\r\n\r\n',
      'event: tool_invoked\rdata:x\r\r',
      'id: 7\ndata: {"a":1}\n\n',
    ]);
    expect(events.map((e) => [e.eventType, e.data, e.eventId])).toEqual([
      ['message', 'first\n second', null],
      ['tool_invoked', 'x', null],
      ['message', '{"a":1}', '7'],
    ]);
    expect(events[2]?.json()).toEqual({ a: 1 });
  });

  it('a blank line without data dispatches nothing; an id with NUL is ignored; retry is read', async () => {
    const events = await parse([
      'event: lonely\n\n',
      'retry: 30\n',
      'id: 5\ndata: a\n\n',
      'id: bad\u0000id\ndata: b\n\n',
    ]);
    expect(events.map((e) => [e.data, e.eventId, e.retryMs])).toEqual([
      ['a', '5', 30],
      ['b', null, 30],
    ]);
  });

  it('a BOM at the start of the stream is ignored, and a field without a colon is a field name', async () => {
    const events = await parse(['\uFEFFdata: bom\n\n', 'data\n\n']);
    expect(events.map((e) => e.data)).toEqual(['bom', '']);
  });
});

describe('requests', () => {
  it('sends the documented headers and the event_types hint; Last-Event-ID only on reconnect', async () => {
    const stub = await sseScenario({ total: 4, dropEvery: 2 });
    const t = transport({ gatewayUrl: stub.gatewayUrl, apiKey: 'sse-key-123' });
    await collect(
      t.stream({ eventTypes: ['tool_invoked', 'error'], userToken: 'user-tok-1', params: { team: 'ops' } }),
    );
    const [first, second, third] = await stub.connections();
    expect(first?.path).toBe('/api/v1/events');
    expect(first?.query).toEqual({ team: 'ops', event_types: 'tool_invoked,error' });
    expect(first?.headers).toMatchObject({
      accept: 'text/event-stream',
      'cache-control': 'no-cache',
      'x-api-key': 'sse-key-123',
      authorization: 'Bearer user-tok-1',
    });
    expect(first?.headers['last-event-id']).toBeUndefined();
    expect(second?.headers['last-event-id']).toBe('1');
    expect(third?.headers['last-event-id']).toBe('3');
  });

  it('each stream keeps its own Last-Event-ID', async () => {
    const a = await sseScenario({ total: 4, dropEvery: 2 });
    const b = await sseScenario({ total: 20, dropEvery: 10 });
    const t = transport({ gatewayUrl: a.gatewayUrl });
    const tb = transport({ gatewayUrl: b.gatewayUrl });
    await Promise.all([collect(t.stream()), collect(tb.stream())]);
    expect((await a.connections()).map((c) => c.headers['last-event-id'])).toEqual([undefined, '1', '3']);
    expect((await b.connections()).map((c) => c.headers['last-event-id'])).toEqual([undefined, '9', '19']);
  });

  it('audit and server streams use their endpoints', async () => {
    const stub = await sseScenario({ total: 1 });
    const t = transport({ gatewayUrl: stub.gatewayUrl });
    await collect(t.streamAuditEvents());
    await collect(t.streamServerEvents('a/b'));
    expect((await stub.connections()).map((c) => c.path)).toEqual([
      '/api/v1/audit/stream',
      '/api/v1/audit/stream',
      '/api/v1/servers/a%2Fb/stream',
      '/api/v1/servers/a%2Fb/stream',
    ]);
  });
});

describe('filtering', () => {
  it('yields only the asked-for types even when the gateway ignores the hint', async () => {
    const stub = await sseScenario({ total: 9, types: ['tool_invoked', 'server_health', 'error'] });
    const events = await collect(transport({ gatewayUrl: stub.gatewayUrl }).stream({ eventTypes: ['server_health'] }));
    expect(events.map((e) => [e.eventType, e.eventId])).toEqual([
      ['server_health', '1'],
      ['server_health', '4'],
      ['server_health', '7'],
    ]);
  });
});

describe('reconnects', () => {
  it('10 000 numbered events over a connection dropped every 100 events: all, once, in order', async () => {
    const stub = await sseScenario({ total: 10_000, dropEvery: 100 });
    const t = transport({
      gatewayUrl: stub.gatewayUrl,
      reconnect: { initialDelayMs: 1, jitter: false, minDelayMs: 1 },
    });
    const events = await collect(t.stream());
    expect(events).toHaveLength(10_000);
    expect(events.every((e, i) => e.json<{ n: number }>().n === i)).toBe(true);
    expect(t.getMetrics()).toMatchObject({ eventsReceived: 10_000, connectionsMade: 100, reconnections: 100 });
  }, 60_000);

  it('after a connection reset', async () => {
    const stub = await sseScenario({ total: 30, dropEvery: 10, dropHow: 'reset' });
    const events = await collect(transport({ gatewayUrl: stub.gatewayUrl }).stream());
    expect(events.map((e) => e.eventId)).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
  });

  it('after 503s, with backoff 10, 20, 40 ms (no jitter)', async () => {
    const stub = await sseScenario({ total: 2, statuses: [503, 503, 503] });
    const { logger, delays } = recordingLogger();
    const events = await collect(transport({ gatewayUrl: stub.gatewayUrl, logger }).stream());
    expect(events).toHaveLength(2);
    expect(delays.slice(0, 3)).toEqual([10, 20, 40]);
  });

  it("the server's retry: value replaces the backoff", async () => {
    const stub = await sseScenario({ total: 6, dropEvery: 2, retryMs: 25 });
    const { logger, delays } = recordingLogger();
    await collect(transport({ gatewayUrl: stub.gatewayUrl, logger }).stream());
    expect(delays).toEqual([25, 25, 25]);
  });

  it('429 honours Retry-After', async () => {
    const stub = await sseScenario({ total: 1, statuses: [429], retryAfter: '0' });
    const { logger, delays } = recordingLogger();
    const events = await collect(transport({ gatewayUrl: stub.gatewayUrl, logger }).stream());
    expect(events).toHaveLength(1);
    expect(delays[0]).toBe(1); // Retry-After: 0, held to minDelayMs
  });

  it('an idle connection (no byte for idleTimeoutMs) is replaced', async () => {
    const stub = await sseScenario({ total: 4, idleAfter: 2 });
    const events = await collect(transport({ gatewayUrl: stub.gatewayUrl, idleTimeoutMs: 150 }).stream());
    expect(events.map((e) => e.eventId)).toEqual(['0', '1', '2', '3']);
    const connections = await stub.connections();
    expect(connections[0]?.closedByClient).toBe(true);
  });

  it('gives up after maxReconnectAttempts with RetryExhaustedError', async () => {
    const stub = await sseScenario({ total: 1, statuses: [500, 500, 500, 500, 500] });
    const error = await collect(transport({ gatewayUrl: stub.gatewayUrl, maxReconnectAttempts: 2 }).stream()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as RetryExhaustedError).attempts).toBe(3);
    expect((error as RetryExhaustedError).cause).toMatchObject({ status: 500 });
    expect(await stub.connections()).toHaveLength(3);
  });
});

describe('auth: a RequestAuthorizer (such as OAuthClient) for gateways that take OAuth only', () => {
  /** Hands out `Bearer t<n>`; each refusal it is told of moves to the next token and answers `again(refusals)`. */
  function authorizer(again: (refusals: number) => boolean | Promise<boolean>) {
    let token = 0;
    const refusals: number[] = [];
    const auth: RequestAuthorizer = {
      headers: async (request) => {
        expect(request.method).toBe('GET');
        return { authorization: `Bearer t${token}` };
      },
      refused: async (_request, answer) => {
        refusals.push(answer.status);
        expect(answer.sent).toEqual({ authorization: `Bearer t${token}` });
        token++;
        return again(refusals.length);
      },
    };
    return { auth, refusals };
  }
  const sentTokens = async (stub: Awaited<ReturnType<typeof sseScenario>>) =>
    (await stub.connections()).map((connection) => connection.headers['authorization']);

  it('its headers on every connection; a 401 it resolves opens the connection again with the new ones', async () => {
    const stub = await sseScenario({ total: 3, statuses: [401, 403] });
    const { auth, refusals } = authorizer(() => true);
    const events = await collect(transport({ gatewayUrl: stub.gatewayUrl, auth }).stream(), 3);
    expect(events).toHaveLength(3);
    expect(refusals).toEqual([401, 403]);
    expect(await sentTokens(stub)).toEqual(['Bearer t0', 'Bearer t1', 'Bearer t2']);
  });

  it('a refusal it does not resolve ends the stream with its 401; one it resolves: 3 retries at most', async () => {
    const declined = await sseScenario({ total: 1, statuses: [401] });
    const error = await collect(
      transport({ gatewayUrl: declined.gatewayUrl, auth: authorizer(() => false).auth }).stream(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect((error as GatewayHttpError).status).toBe(401);
    expect(await declined.connections()).toHaveLength(1);

    const endless = await sseScenario({ total: 1, statuses: [401, 401, 401, 401, 401, 401, 401] });
    const { auth, refusals } = authorizer(() => true);
    const refused = await collect(transport({ gatewayUrl: endless.gatewayUrl, auth }).stream()).catch((e) => e);
    expect((refused as GatewayHttpError).status).toBe(401);
    expect(refusals).toHaveLength(3);
    expect(await sentTokens(endless)).toEqual(['Bearer t0', 'Bearer t1', 'Bearer t2', 'Bearer t3']);
  });

  it('an authorizer that fails ends the stream with its error, and leaves no connection open', async () => {
    const stub = await sseScenario({ total: 1, statuses: [401] });
    const failure = new Error('the sign-in was refused');
    const { auth } = authorizer(() => Promise.reject(failure));
    const t = transport({ gatewayUrl: stub.gatewayUrl, auth });
    await expect(collect(t.stream())).rejects.toBe(failure);
    expect(t.health()).toMatchObject({ activeStreams: 0, connectionState: 'idle' });
    expect(await stub.connections()).toHaveLength(1);
  });

  it('is checked when the transport is made', () => {
    const refusedOnly = { refused: async () => false } as unknown as RequestAuthorizer;
    expect(() => new SseTransport({ gatewayUrl: 'http://127.0.0.1:1', auth: refusedOnly })).toThrow(
      /auth\.headers: must be a function/,
    );
  });
});

describe('ending', () => {
  it('401 is fatal, with no reconnect', async () => {
    const stub = await sseScenario({ total: 1, statuses: [401] });
    const error = await collect(transport({ gatewayUrl: stub.gatewayUrl }).stream()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect((error as GatewayHttpError).status).toBe(401);
    expect(await stub.connections()).toHaveLength(1);
  });

  it('204 ends the iterator normally', async () => {
    const stub = await sseScenario({ total: 0 });
    await expect(collect(transport({ gatewayUrl: stub.gatewayUrl }).stream())).resolves.toEqual([]);
  });

  it('break closes the server-side connection promptly', async () => {
    const stub = await sseScenario({ total: 1_000_000, intervalMs: 1 });
    const t = transport({ gatewayUrl: stub.gatewayUrl });
    await collect(t.stream(), 5);
    await expect
      .poll(async () => (await stub.connections())[0]?.closedByClient, { timeout: 1000, interval: 20 })
      .toBe(true);
    expect(t.getMetrics().activeStreams).toBe(0);
  });

  it('an abort signal rejects the iterator with its reason and closes the connection', async () => {
    const stub = await sseScenario({ total: 1_000_000, intervalMs: 1 });
    const controller = new AbortController();
    const iterator = transport({ gatewayUrl: stub.gatewayUrl }).stream({ signal: controller.signal });
    await iterator.next();
    controller.abort(new Error('stop listening'));
    await expect(iterator.next()).rejects.toThrow('stop listening');
    await expect
      .poll(async () => (await stub.connections())[0]?.closedByClient, { timeout: 1000, interval: 20 })
      .toBe(true);
  });

  it('close() ends every stream and refuses new ones', async () => {
    const stub = await sseScenario({ total: 1_000_000, intervalMs: 1 });
    const t = transport({ gatewayUrl: stub.gatewayUrl });
    const a = t.stream();
    const b = t.stream();
    await Promise.all([a.next(), b.next()]);
    expect(t.health()).toMatchObject({ status: 'healthy', connectionState: 'open', activeStreams: 2 });
    await t.close();
    await expect(a.next()).resolves.toMatchObject({ done: true });
    expect(() => t.stream()).toThrow(ClientClosedError);
    await expect
      .poll(async () => (await stub.connections()).every((c) => c.closedByClient), { timeout: 1000, interval: 20 })
      .toBe(true);
  });

  it('refuses more than maxConnections streams', async () => {
    const stub = await sseScenario({ total: 1_000_000, intervalMs: 5 });
    const t = transport({ gatewayUrl: stub.gatewayUrl, maxConnections: 1 });
    t.stream();
    expect(() => t.stream()).toThrow(GatewayConfigError);
  });
});

describe('every loop has a bound: hostile servers', () => {
  it('retry: 0 and an empty connection, again and again: the client backs off exponentially, no storm', async () => {
    const stub = await sseScenario({ total: 1, retryMs: 0, emptyFirst: 6 });
    const { logger, delays } = recordingLogger();
    const events = await collect(transport({ gatewayUrl: stub.gatewayUrl, logger }).stream());
    expect(events).toHaveLength(1);
    // Six empty connections back off 10 → 320 ms; after the one that delivered, the server's retry: 0 holds, raised
    // to minDelayMs; the next connection gets 204 and the stream ends.
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 1]);
    expect(await stub.connections()).toHaveLength(8);
  });

  it('a retry: no timer can hold is clamped to maxDelayMs (no TimeoutOverflowWarning, no 1 ms storm)', async () => {
    const stub = await sseScenario({ total: 4, dropEvery: 2, retryMs: 99_999_999_999 });
    const { logger, delays } = recordingLogger();
    const events = await collect(
      transport({ gatewayUrl: stub.gatewayUrl, logger, reconnect: { maxDelayMs: 60, minDelayMs: 1 } }).stream(),
    );
    expect(events).toHaveLength(4);
    expect(delays).toEqual([60, 60]);
  });

  it('an event id that cannot be sent back as a header is delivered but not used to resume', async () => {
    const long = `x${'9'.repeat(MAX_ECHOED_HEADER_CHARS)}`; // one character over: every later request would be 431
    const stub = await sseScenario({
      raw: ['id: 7\ndata: a\n\n', `id: €uro-8\ndata: b\n\nid: ctl\u0001x\ndata: c\n\nid: ${long}\ndata: d\n\n`],
    });
    const t = transport({ gatewayUrl: stub.gatewayUrl });
    const events = await collect(t.stream());
    expect(events.map((e) => e.eventId)).toEqual(['7', '€uro-8', 'ctl\u0001x', long]);
    const connections = await stub.connections();
    expect(connections).toHaveLength(2);
    expect(connections[1]?.headers['last-event-id']).toBe('7');
  });

  it('bufferSize means what it says: with a stalled consumer, parsing stops when the buffer is full', async () => {
    const stub = await sseScenario({ raw: ['data: x\n\n'.repeat(5000)] });
    const t = transport({ gatewayUrl: stub.gatewayUrl, bufferSize: 10 });
    const iterator = t.stream();
    await iterator.next();
    // An absence check, so a wait rather than a poll: without back-pressure all 5 000 events would be parsed by now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.getMetrics().eventsReceived).toBeLessThanOrEqual(12);
    let rest = 0;
    for await (const _ of { [Symbol.asyncIterator]: () => iterator }) rest++;
    expect(rest).toBe(4999);
  });
});

describe('options', () => {
  it('options that are not objects are a GatewayConfigError naming them, not a TypeError or silent defaults', () => {
    expect(() => new SseTransport(null as never)).toThrow('SseTransport: options: must be an object, got null');
    expect(() => transport({ gatewayUrl: 'http://127.0.0.1:9', reconnect: 5 as never })).toThrow(
      'reconnect: must be an object, got 5',
    );
    expect(() => transport({ gatewayUrl: 'http://127.0.0.1:9', reconnect: { maxDelayMs: -1 } })).toThrow(
      GatewayConfigError,
    );
  });
  it('the API key checked when made is the one every stream sends, whatever later happens to the options', async () => {
    const stub = await sseScenario({ total: 1 });
    const options = { gatewayUrl: stub.gatewayUrl, apiKey: 'key-checked-123456', maxReconnectAttempts: 0 };
    const t = new SseTransport(options);
    open.push(t);
    options.apiKey = 'key\r\ninjected: 1';
    expect(await collect(t.stream(), 1)).toHaveLength(1);
    expect((await stub.connections())[0]?.headers['x-api-key']).toBe('key-checked-123456');
  });
});

describe('request headers made per connection', () => {
  it.each([
    ['a header name no HTTP stack can send', () => ({ 'x trace': 'v' }), 'not a valid HTTP header name'],
    ['a value with CR/LF', () => ({ traceparent: 'x\r\ny: 1' }), 'control character'],
    [
      'a callback that throws',
      () => {
        throw new GatewayConfigError({ message: 'propagator broke' });
      },
      'propagator broke',
    ],
  ])(
    '%s ends the stream with a GatewayConfigError at once: nothing sent, no retry',
    async (_case, requestHeaders, why) => {
      const stub = await sseScenario({ total: 3 });
      const t = transport({ gatewayUrl: stub.gatewayUrl, requestHeaders });
      const error = await collect(t.stream()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayConfigError);
      expect((error as Error).message).toContain(why);
      expect(await stub.connections()).toHaveLength(0);
      expect(t.getMetrics()).toMatchObject({ reconnections: 0, activeStreams: 0 });
    },
  );
});

describe('back-pressure', () => {
  it('a slow consumer pauses the connection: the server cannot run ahead, the buffer stays bounded', async () => {
    const stub = await sseScenario({ total: 200_000, padding: 1000 });
    const t = transport({ gatewayUrl: stub.gatewayUrl, bufferSize: 50 });
    const iterator = t.stream();
    for (let i = 0; i < 20; i++) {
      await iterator.next();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const sent = (await stub.connections())[0]?.sent ?? 0;
    // 200 000 events of 1 KiB would be 200 MB; socket buffers hold a few MB at most.
    expect(sent).toBeLessThan(20_000);
    await iterator.return?.();
  });
});
