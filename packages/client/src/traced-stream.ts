import type { GatewayEvent, ReconnectEvent } from '@sark/core';
import { errorType, type OpenSpan, type Telemetry } from '@sark/core/internal';

/**
 * An event stream as one CLIENT span `sark.streamEvents` for its lifetime — from `streamEvents()` until the stream
 * ends, fails or the consumer stops — with `url.template` and, at the end, `sark.sse.events` (events received). The
 * stream is made and read in the span's context, so its connections (and reconnections) carry its `traceparent`;
 * each reconnection is an event `sark.sse.reconnect` on the span (attempt, wait, `error.type`).
 */
export function tracedStream(
  telemetry: Telemetry,
  open: (onReconnect: (event: ReconnectEvent) => void) => AsyncIterableIterator<GatewayEvent>,
  endpoint: string,
  onReconnect: ((event: ReconnectEvent) => void) | undefined,
): AsyncIterableIterator<GatewayEvent> {
  let events = 0;
  const attributes = { 'url.template': endpoint };
  const handle: OpenSpan = telemetry.open('sark.streamEvents', {
    operation: 'streamEvents',
    kind: 'client',
    attributes,
  });
  let stream: AsyncIterableIterator<GatewayEvent>;
  try {
    stream = handle.run(() =>
      open((event) => {
        handle.span.addEvent('sark.sse.reconnect', {
          'sark.sse.reconnect.attempt': event.attempt,
          'sark.sse.reconnect.delay_ms': event.delayMs,
          'error.type': errorType(event.error),
        });
        onReconnect?.(event);
      }),
    );
  } catch (error) {
    handle.fail(error);
    throw error;
  }
  const finish = (error?: unknown): void => {
    handle.span.setAttribute('sark.sse.events', events);
    if (error === undefined) handle.end();
    else handle.fail(error);
  };
  return {
    async next() {
      try {
        const result = await handle.run(() => stream.next());
        if (result.done) finish();
        else events++;
        return result;
      } catch (error) {
        finish(error);
        throw error;
      }
    },
    async return(value?: unknown) {
      finish();
      return (await stream.return?.(value)) ?? { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
