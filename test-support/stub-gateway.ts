// A scriptable gateway for the contract tests, run in the Node main process (vitest globalSetup) so that tests in
// the edge-runtime environment reach it over real HTTP too. A test posts a scenario, then talks to
// `${url}/s/${id}` as its gatewayUrl; the stub records every request and what happened to each connection.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { drained } from './drained.mjs';

export interface StubRoute {
  method?: string;
  path: string;
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is. */
  raw?: string;
  delayMs?: number;
  /** Send the headers and part of the body, then destroy the socket. */
  closeMidBody?: boolean;
  /** Stream this many bytes of a JSON string, honouring back-pressure. */
  streamBytes?: number;
  /** Serve this route only this many times (then fall through to the next match). */
  times?: number;
}

/** A paged collection, honest or hostile. */
export interface PagedSpec {
  count: number;
  withTotal: boolean;
  /** Report this `total` instead of the real count (a gateway that lies). */
  claimTotal?: number;
  /** Always answer the first page, whatever the offset. */
  ignoreOffset?: boolean;
  /** Answer this many items per page, whatever the limit. */
  ignoreLimit?: number;
}

export interface StubScenario {
  routes?: StubRoute[];
  /** Serve /api/v1/servers from `count` generated servers, with `total` when asked. */
  servers?: PagedSpec;
  tools?: PagedSpec;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The client went away before the answer was complete. */
  aborted: boolean;
  bytesWritten: number;
}

interface Scenario extends StubScenario {
  requests: RecordedRequest[];
  served: Map<StubRoute, number>;
}

export function server(i: number) {
  return {
    server_id: `id-${i}`,
    server_name: `server-${i}`,
    server_url: `stdio://server-${i}`,
    health_status: 'healthy',
    tools_count: 2,
  };
}

export function tool(i: number) {
  return {
    tool_name: `tool-${i}`,
    server_name: `server-${i % 7}`,
    description: `Tool ${i}`,
    parameters: [{ name: 'x', type: 'string', required: true }],
  };
}

function page(items: (i: number) => unknown, key: string, spec: PagedSpec, query: Record<string, string>) {
  const offset = spec.ignoreOffset ? 0 : Number(query['offset'] ?? 0);
  const limit = spec.ignoreLimit ?? Number(query['limit'] ?? 100);
  const end = Math.min(spec.count, offset + limit);
  const list = Array.from({ length: Math.max(0, end - offset) }, (_, k) => items(offset + k));
  return spec.withTotal ? { [key]: list, total: spec.claimTotal ?? spec.count } : { [key]: list };
}

export async function startStubGateway(): Promise<{ url: string; close(): Promise<void> }> {
  const scenarios = new Map<string, Scenario>();
  let nextId = 1;

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    if (url.pathname === '/__scenario' && req.method === 'POST') {
      const id = String(nextId++);
      scenarios.set(id, { ...(JSON.parse(body) as StubScenario), requests: [], served: new Map() });
      return send(res, 200, { id });
    }
    const requestsMatch = /^\/__requests\/(\d+)$/.exec(url.pathname);
    if (requestsMatch) return send(res, 200, scenarios.get(requestsMatch[1] as string)?.requests ?? []);
    const match = /^\/s\/(\d+)(\/.*)$/.exec(url.pathname);
    const scenario = match ? scenarios.get(match[1] as string) : undefined;
    if (!match || !scenario) return send(res, 404, { error: 'no scenario' });
    const path = match[2] as string;
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = {
      method: req.method ?? '',
      path,
      query,
      headers: req.headers,
      body,
      aborted: false,
      bytesWritten: 0,
    };
    scenario.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    const route = scenario.routes?.find((r) => {
      if (r.path !== path || (r.method ?? 'GET') !== req.method) return false;
      return r.times === undefined || (scenario.served.get(r) ?? 0) < r.times;
    });
    if (route) {
      scenario.served.set(route, (scenario.served.get(route) ?? 0) + 1);
      return serveRoute(route, res, record);
    }
    if (path === '/api/v1/servers' && scenario.servers)
      return send(res, 200, page(server, 'servers', scenario.servers, query));
    if (path === '/api/v1/tools' && scenario.tools) return send(res, 200, page(tool, 'tools', scenario.tools, query));
    return send(res, 404, { detail: `not found: ${path}` });
  };

  const httpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { error: String(error) });
      });
    });
  });
  httpServer.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}) {
  const payload = Buffer.from(JSON.stringify(json));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': payload.length, ...headers });
  res.end(payload);
}

async function serveRoute(route: StubRoute, res: ServerResponse, record: RecordedRequest) {
  if (route.delayMs) {
    await new Promise((resolve) => setTimeout(resolve, route.delayMs));
    if (record.aborted || res.destroyed) return;
  }
  const status = route.status ?? 200;
  if (route.closeMidBody) {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"servers": [{"server_id": "a"');
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  if (route.streamBytes !== undefined) {
    res.writeHead(status, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    res.write('"');
    while (record.bytesWritten < route.streamBytes && !res.destroyed) {
      record.bytesWritten += chunk.length;
      if (!res.write(chunk)) await drained(res);
    }
    if (!res.destroyed) res.end('"');
    return;
  }
  if (route.raw !== undefined) {
    res.writeHead(status, { 'content-type': 'text/plain', ...route.headers });
    res.end(route.raw);
    return;
  }
  send(res, status, route.json ?? {}, route.headers);
}
