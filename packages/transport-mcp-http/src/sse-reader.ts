import { GatewayProtocolError } from '@sark/core';
import { isEchoableHeaderValue } from '@sark/core/internal';
import { createParser } from 'eventsource-parser';

/** Where an SSE stream stopped: what to resume from, and how long the server asked us to wait. */
export interface SseEnd {
  readonly lastEventId: string | undefined;
  readonly retryMs: number | undefined;
}

/**
 * Reads an SSE body to its end, handing the data of each event (an MCP message) to `onMessage`; events with empty
 * data (priming events) only move the resumption point (an id that cannot be sent back as a header does not). An
 * event larger than `maxEventBytes` stops the stream with a `GatewayProtocolError`; `stop()` returning true ends the
 * read early (the request it carried is settled).
 */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onMessage: (data: string) => void,
  options: { maxEventBytes: number; lastEventId: string | undefined; stop: () => boolean },
): Promise<SseEnd> {
  let lastEventId = options.lastEventId;
  let retryMs: number | undefined;
  let pendingBytes = 0;
  const parser = createParser({
    onEvent: (event) => {
      pendingBytes = 0;
      // An id that cannot travel back as `Last-Event-ID` is not a resumption point: the last usable one is kept.
      if (event.id !== undefined && isEchoableHeaderValue(event.id)) lastEventId = event.id;
      if (event.data !== '' && (event.event === undefined || event.event === 'message')) onMessage(event.data);
    },
    onRetry: (ms) => {
      retryMs = ms;
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      pendingBytes += next.value.length;
      if (pendingBytes > options.maxEventBytes) {
        throw new GatewayProtocolError({
          message: `An SSE event of more than ${options.maxEventBytes} bytes (maxMessageBytes); the stream was dropped`,
        });
      }
      parser.feed(decoder.decode(next.value, { stream: true }));
      if (options.stop()) break;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return { lastEventId, retryMs };
}
