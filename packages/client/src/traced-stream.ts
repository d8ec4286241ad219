import type { GatewayEvent } from '@sark/core';
import type { OpenSpan, Telemetry } from '@sark/core/internal';

/**
 * An event stream as one CLIENT span `sark.streamEvents` for its lifetime — from `streamEvents()` until the stream
 * ends, fails or the consumer stops — with `url.template` and, at the end, `sark.sse.events` (events received). The
 * stream is made and read in the span's context, so its connections (and reconnections) carry its `traceparent`.
 */
export function tracedStream(
  telemetry: Telemetry,
  open: () => AsyncIterableIterator<GatewayEvent>,
  endpoint: string,
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
    stream = handle.run(open);
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
