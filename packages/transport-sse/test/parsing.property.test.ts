import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '@sark/core';
import { SseTransport } from '@sark/transport-sse';

// Serialised events, cut at arbitrary byte boundaries (also inside multi-byte characters), served by an injected
// fetch: what comes out of stream() must be exactly what went in.
const eventArb = fc.record({
  type: fc.constantFrom('message', 'tool_invoked', 'server_health', 'error'),
  data: fc
    .array(
      fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, '')),
      { minLength: 1, maxLength: 3 },
    )
    .map((lines) => lines.join('\n')),
  id: fc.option(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { nil: undefined }),
});

function serialise(events: { type: string; data: string; id: string | undefined }[], lineEnd: string): Uint8Array {
  const text = events
    .map((e) => {
      const lines = [`event: ${e.type}`, ...e.data.split('\n').map((line) => `data: ${line}`)];
      if (e.id !== undefined) lines.push(`id: ${e.id}`);
      return `${lines.join(lineEnd)}${lineEnd}${lineEnd}`;
    })
    .join(`: comment${lineEnd}`);
  return new TextEncoder().encode(text);
}

function fetchServing(bytes: Uint8Array, cuts: number[]): typeof fetch {
  let calls = 0;
  return async () => {
    if (calls++ > 0) return new Response(null, { status: 204 });
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let start = 0;
    for (const point of [...points, bytes.length]) {
      chunks.push(bytes.slice(start, point));
      start = point;
    }
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
}

describe('parsing (property)', () => {
  it('any events, any line ends, any split: parsed back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (events, lineEnd, cuts) => {
          const transport = new SseTransport({
            gatewayUrl: 'http://gateway.test',
            fetch: fetchServing(serialise(events, lineEnd), cuts),
            reconnect: { initialDelayMs: 1, minDelayMs: 1 },
          });
          const seen: { type: string; data: string; id: string | undefined }[] = [];
          let lastId: string | undefined;
          for await (const event of transport.stream()) {
            seen.push({
              type: event.eventType,
              data: event.data,
              id: event.eventId === lastId ? undefined : (event.eventId ?? undefined),
            });
            lastId = event.eventId ?? lastId;
          }
          const expected: { type: string; data: string; id: string | undefined }[] = [];
          let expectedLast: string | undefined;
          for (const e of events) {
            expected.push({
              type: e.type,
              data: e.data,
              id: e.id === undefined || e.id === expectedLast ? undefined : e.id,
            });
            expectedLast = e.id ?? expectedLast;
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('any bytes at all: events or the end of the stream, only typed errors, bounded events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (bytes, cuts) => {
          const transport = new SseTransport({
            gatewayUrl: 'http://gateway.test',
            fetch: fetchServing(bytes, cuts),
            maxEventBytes: 512,
            maxReconnectAttempts: 2,
            reconnect: { initialDelayMs: 1, minDelayMs: 1 },
          });
          let events = 0;
          try {
            for await (const event of transport.stream()) {
              events++;
              expect(event.data.length).toBeLessThanOrEqual(3000);
            }
          } catch (error) {
            expect(error).toBeInstanceOf(GatewayError);
          }
          expect(events).toBeLessThanOrEqual(bytes.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
