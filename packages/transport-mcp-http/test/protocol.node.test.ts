import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayConfigError, GatewayHttpError, GatewayProtocolError } from '@sark/core';
import { MAX_ECHOED_HEADER_CHARS } from '@sark/core/internal';
import { RemoteServer } from '@sark/transport-mcp-http';

interface Seen {
  method: string;
  headers: IncomingMessage['headers'];
  body: { method?: string; id?: number } | null;
  at: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Seen['body']) => void;

const servers: Server[] = [];
const clients: RemoteServer[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * A scripted Streamable HTTP peer of the 2025 revisions: `server/discover` refused as the official SDK's server refuses
 * it, `initialize` answered as JSON with a session id, the rest by `handle`.
 */
async function peer(handle: Handler, options: { session?: boolean; sessionId?: string } = {}) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const body = raw === '' ? null : (JSON.parse(raw) as Seen['body']);
      seen.push({ method: req.method ?? '', headers: req.headers, body, at: performance.now() });
      if (body?.method === 'server/discover') {
        // A server that predates MCP 2026-07-28, as the official SDK's (1.x) answers it.
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: null,
            error: { code: -32000, message: 'Bad Request: Server not initialized' },
          }),
        );
        return;
      }
      if (body?.method === 'initialize') {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (options.session !== false) headers['mcp-session-id'] = options.sessionId ?? 'session-1';
        res.writeHead(200, headers);
        const result = {
          protocolVersion: '2025-06-18',
          capabilities: { tools: {} },
          serverInfo: { name: 'p', version: '1' },
        };
        res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result }));
        return;
      }
      if (body !== null && body.id === undefined) {
        res.writeHead(202).end();
        return;
      }
      handle(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/mcp`, port, seen };
}

async function connect(url: string, extra: Partial<Parameters<typeof RemoteServer.connect>[0]> = {}) {
  const client = await RemoteServer.connect({ url, ...extra });
  clients.push(client);
  return client;
}

const toolResult = (id: number | undefined) =>
  JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'resumed' }] } });

describe('Streamable HTTP details', () => {
  it('a stream that ends before the answer is resumed with GET + Last-Event-ID after the server’s retry:', async () => {
    let pendingId: number | undefined;
    const server = await peer((req, res, body) => {
      if (req.method === 'GET' && req.headers['last-event-id'] !== undefined && pendingId !== undefined) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`id: e-2\nevent: message\ndata: ${toolResult(pendingId)}\n\n`);
        return;
      }
      if (req.method === 'GET') {
        res.writeHead(405).end();
        return;
      }
      pendingId = body?.id;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('id: e-1\nretry: 300\ndata: \n\n');
      setTimeout(() => res.end(), 20);
    });
    const client = await connect(server.url);
    await expect(client.callTool('slow')).resolves.toMatchObject({ content: [{ text: 'resumed' }] });
    const post = server.seen.find((s) => s.body?.method === 'tools/call');
    const resume = server.seen.find((s) => s.method === 'GET' && s.headers['last-event-id'] !== undefined);
    expect(resume?.headers['last-event-id']).toBe('e-1');
    expect(resume?.headers['mcp-session-id']).toBe('session-1');
    expect((resume?.at ?? 0) - (post?.at ?? 0)).toBeGreaterThanOrEqual(300); // it waited the retry: it was told
    expect(client.getMetrics().resumptions).toBe(1);
  });

  it('session id and protocol version go on every request after the handshake; stateless: neither', async () => {
    const answer: Handler = (_req, res, body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: body?.id, result: { tools: [] } }));
    };
    const stateful = await peer(answer);
    await (await connect(stateful.url)).listTools();
    const list = stateful.seen.find((s) => s.body?.method === 'tools/list');
    expect(list?.headers['mcp-session-id']).toBe('session-1');
    expect(list?.headers['mcp-protocol-version']).toBe('2025-06-18');
    expect(stateful.seen[0]?.headers['mcp-session-id']).toBeUndefined();

    const stateless = await peer(answer, { session: false });
    await (await connect(stateless.url)).listTools();
    expect(stateless.seen.every((s) => s.headers['mcp-session-id'] === undefined)).toBe(true);
  });

  it('a redirect to another origin is refused: nothing reaches the other host', async () => {
    const elsewhere = await peer((_req, res) => res.writeHead(500).end());
    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { location: `http://localhost:${elsewhere.port}/mcp` }).end();
    });
    servers.push(redirecting);
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const { port } = redirecting.address() as { port: number };
    const error = await RemoteServer.connect({
      url: `http://127.0.0.1:${port}/mcp`,
      headers: { 'x-api-key': 'secret-key-123456' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect((error as Error).message).toContain('another origin');
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('an answer larger than maxMessageBytes fails its request with a GatewayProtocolError', async () => {
    const server = await peer((_req, res, body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: body?.id, result: { tools: [], pad: 'x'.repeat(200_000) } }));
    });
    const client = await connect(server.url, { maxMessageBytes: 64 * 1024 });
    const error = await client.listTools().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect((error as Error).message).toContain('maxMessageBytes');
  });

  it('an HTTP error answer fails the request with a GatewayHttpError, its body redacted', async () => {
    const server = await peer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('upstream failed: api_key=sk-live-999888777');
    });
    const error = (await (await connect(server.url)).listTools().catch((e: unknown) => e)) as GatewayHttpError;
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect(error.status).toBe(500);
    expect(JSON.stringify(error.body) + error.message).not.toContain('sk-live-999888777');
  });
});

describe('hostile peers: every wait and every echoed value has a bound', () => {
  const listTools: Handler = (_req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: body?.id, result: { tools: [] } }));
  };
  const gets = (seen: Seen[]) => seen.filter((s) => s.method === 'GET');

  it('a server stream saying retry: 0 and closing after each event is re-opened minDelayMs apart', async () => {
    let n = 0;
    const server = await peer((req, res, body) => {
      if (req.method !== 'GET') return listTools(req, res, body);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`id: s-${++n}\nretry: 0\ndata: \n\n`);
    });
    await connect(server.url, { reconnect: { minDelayMs: 100 } });
    await expect.poll(() => gets(server.seen).length).toBeGreaterThanOrEqual(2);
    // An absence check, so a wait: without the floor, retry: 0 re-opens the stream hundreds of times in this time.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const opened = gets(server.seen);
    expect(opened.length).toBeLessThanOrEqual(8);
    for (let i = 1; i < opened.length; i++) {
      expect((opened[i]?.at ?? 0) - (opened[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(90);
    }
  });

  it('a retry: of days is cut to maxDelayMs', async () => {
    const server = await peer((req, res, body) => {
      if (req.method !== 'GET') return listTools(req, res, body);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (gets(server.seen).length === 1) res.end('id: s-1\nretry: 99999999999\ndata: \n\n');
      else res.write(': held open\n\n');
    });
    await connect(server.url, { reconnect: { maxDelayMs: 200, minDelayMs: 10 } });
    await expect.poll(() => gets(server.seen).length).toBe(2);
    expect(gets(server.seen)[1]?.headers['last-event-id']).toBe('s-1');
  });

  it('an event id that cannot be sent back as a header is not used to resume the answer stream', async () => {
    const long = 'e'.repeat(MAX_ECHOED_HEADER_CHARS + 1);
    let pendingId: number | undefined;
    const server = await peer((req, res, body) => {
      if (req.method === 'GET' && req.headers['last-event-id'] !== undefined && pendingId !== undefined) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`id: e-3\ndata: ${toolResult(pendingId)}\n\n`);
        return;
      }
      if (req.method === 'GET') return void res.writeHead(405).end();
      pendingId = body?.id;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`id: e-1\nretry: 10\ndata: \n\nid: ${long}\ndata: \n\nid: caf\u00e9\ndata: \n\n`);
    });
    const client = await connect(server.url);
    await expect(client.callTool('slow')).resolves.toMatchObject({ content: [{ text: 'resumed' }] });
    const resume = server.seen.find((s) => s.method === 'GET' && s.headers['last-event-id'] !== undefined);
    expect(resume?.headers['last-event-id']).toBe('e-1');
  });

  it('a session id that cannot be sent back fails connect with a GatewayProtocolError', async () => {
    const server = await peer(listTools, { sessionId: 's'.repeat(MAX_ECHOED_HEADER_CHARS + 1) });
    const error = await RemoteServer.connect({ url: server.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(error).toMatchObject({ field: 'Mcp-Session-Id' });
    expect((error as Error).message).not.toContain('sss');
  });

  it('reconnect options are checked before anything is sent', async () => {
    const server = await peer(listTools);
    for (const reconnect of [
      { initialDelayMs: -1 },
      { jitter: 1 as unknown as boolean },
      { minDelayMs: 50, maxDelayMs: 10 },
    ]) {
      const error = await RemoteServer.connect({ url: server.url, reconnect }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayConfigError);
      expect((error as Error).message).toMatch(/^reconnect\./);
    }
    expect(server.seen).toHaveLength(0);
  });
});
