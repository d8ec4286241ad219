import { clampTimerMs } from '@sark/core/internal';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventHub, HubEvent } from './event-hub';

/** Which events a stream endpoint carries. */
export type StreamScope = { kind: 'all' } | { kind: 'audit' } | { kind: 'server'; serverName: string };

/** Options of one SSE response. */
export interface SseEndpointOptions {
  readonly keepAliveMs: number;
  readonly retryMs: number;
  /** Close the stream after this many events (fault injection). */
  readonly dropEvery?: number | undefined;
}

function inScope(event: HubEvent, scope: StreamScope): boolean {
  if (scope.kind === 'audit') return event.audit;
  if (scope.kind === 'server') return event.serverName === scope.serverName;
  return true;
}

/**
 * Streams hub events as SSE: `retry:` first, then the events after `Last-Event-ID` still in the ring, then live ones,
 * filtered by `event_types` and the endpoint's scope, with a comment every `keepAliveMs`.
 */
export function serveEvents(
  req: IncomingMessage,
  res: ServerResponse,
  hub: EventHub,
  scope: StreamScope,
  types: ReadonlySet<string>,
  options: SseEndpointOptions,
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(`retry: ${options.retryMs}\n: connected\n\n`);
  let sent = 0;
  const stop = (): void => {
    clearInterval(keepAlive);
    unsubscribe();
  };
  const send = (event: HubEvent): void => {
    if (!inScope(event, scope) || (types.size > 0 && !types.has(event.type)) || res.writableEnded) return;
    res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${event.data}\n\n`);
    sent++;
    if (options.dropEvery !== undefined && sent >= options.dropEvery) {
      stop();
      res.end();
    }
  };
  const keepAlive = setInterval(() => {
    if (!res.writableEnded) res.write(': keep-alive\n\n');
  }, clampTimerMs(options.keepAliveMs));
  const unsubscribe = hub.subscribe(send);
  const lastId = Number(req.headers['last-event-id']);
  if (Number.isFinite(lastId)) for (const event of hub.since(lastId)) send(event);
  res.on('close', stop);
}
