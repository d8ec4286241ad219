// A scriptable SSE gateway for the tests, run in the Node main process (globalSetup) so that node and edge-runtime
// tests reach it over real HTTP. A test posts a scenario and streams from `${url}/s/${id}/...`.
import { createServer, type ServerResponse } from 'node:http';
import { drained } from '@sark/test-support/drained.mjs';

export interface SseScenario {
  /** Numbered events 0..total-1 (id = n, data = {"n": n}), resumed after Last-Event-ID. */
  total?: number;
  /** Event types, used in turn. Default ["tool_invoked"]. */
  types?: string[];
  /** Bytes of padding in each event's data. */
  padding?: number;
  /** Close the connection after this many events in one connection. */
  dropEvery?: number;
  /** How the connection is dropped: a clean end or a reset. */
  dropHow?: 'end' | 'reset';
  /** Sent as `retry:` at the start of every connection. */
  retryMs?: number;
  /** Per connection attempt: a status to answer instead of streaming (e.g. [503, 503]). */
  statuses?: number[];
  retryAfter?: string;
  /** After this many events in a connection, go silent and keep the connection open. */
  idleAfter?: number;
  /** Raw chunks for the first connection (then 204). */
  raw?: string[];
  /** Milliseconds between events. */
  intervalMs?: number;
  /** The first this many connections send their `retry:` line (if any) and end without an event. */
  emptyFirst?: number;
}

export interface ConnectionRecord {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  path: string;
  at: number;
  closedByClient: boolean;
  sent: number;
}

export async function startSseStub(): Promise<{ url: string; close(): Promise<void> }> {
  const scenarios = new Map<string, { spec: SseScenario; connections: ConnectionRecord[] }>();
  let nextId = 1;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      if (url.pathname === '/__scenario') {
        const id = String(nextId++);
        scenarios.set(id, {
          spec: JSON.parse(Buffer.concat(chunks).toString() || '{}') as SseScenario,
          connections: [],
        });
        return json(res, { id });
      }
      const connMatch = /^\/__connections\/(\d+)$/.exec(url.pathname);
      if (connMatch) return json(res, scenarios.get(connMatch[1] as string)?.connections ?? []);
      const match = /^\/s\/(\d+)(\/.*)$/.exec(url.pathname);
      const scenario = match ? scenarios.get(match[1] as string) : undefined;
      if (!match || !scenario) return json(res, { error: 'no scenario' }, 404);
      const record: ConnectionRecord = {
        headers: req.headers,
        query: Object.fromEntries(url.searchParams),
        path: match[2] as string,
        at: Date.now(),
        closedByClient: false,
        sent: 0,
      };
      const attempt = scenario.connections.push(record) - 1;
      res.on('close', () => {
        if (!res.writableEnded) record.closedByClient = true;
      });
      void serve(scenario.spec, attempt, record, req.headers['last-event-id'] as string | undefined, res);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, body: unknown, status = 200) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function serve(
  spec: SseScenario,
  attempt: number,
  record: ConnectionRecord,
  lastEventId: string | undefined,
  res: ServerResponse,
) {
  const status = spec.statuses?.[attempt];
  if (status !== undefined) {
    res.writeHead(status, {
      'content-type': 'application/json',
      ...(spec.retryAfter ? { 'retry-after': spec.retryAfter } : {}),
    });
    res.end(JSON.stringify({ detail: `status ${status}` }));
    return;
  }
  if (spec.raw) {
    if (attempt > 0) {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const chunk of spec.raw) {
      res.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    res.end();
    return;
  }
  const total = spec.total ?? 0;
  let n = lastEventId === undefined ? 0 : Number(lastEventId) + 1;
  if (n >= total) {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  if (spec.retryMs !== undefined) res.write(`retry: ${spec.retryMs}\n\n`);
  if (spec.emptyFirst !== undefined && attempt < spec.emptyFirst) {
    res.end();
    return;
  }
  const types = spec.types ?? ['tool_invoked'];
  const padding = 'p'.repeat(spec.padding ?? 0);
  let inThisConnection = 0;
  while (n < total && !res.destroyed) {
    if (spec.idleAfter !== undefined && inThisConnection >= spec.idleAfter) return; // silent, connection stays open
    if (spec.dropEvery !== undefined && inThisConnection >= spec.dropEvery) {
      if (spec.dropHow === 'reset') {
        // let the events reach the client first; destroy() discards what is still buffered
        await new Promise((resolve) => setTimeout(resolve, 30));
        res.socket?.destroy();
      } else res.end();
      return;
    }
    const ok = res.write(
      `id: ${n}\nevent: ${types[n % types.length]}\ndata: {"n":${n}${padding ? `,"pad":"${padding}"` : ''}}\n\n`,
    );
    record.sent++;
    n++;
    inThisConnection++;
    if (!ok) await drained(res);
    if (spec.intervalMs) await new Promise((resolve) => setTimeout(resolve, spec.intervalMs));
  }
  if (!res.destroyed) res.end();
}
