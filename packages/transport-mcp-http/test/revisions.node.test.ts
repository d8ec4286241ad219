import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayProtocolError, UrlElicitationRequiredError } from '@sark/core';
import { RemoteServer } from '@sark/transport-mcp-http';

// MCP revision 2026-07-28 (stateless: server/discover, per-request _meta, SEP-2243 headers, multi-round-trip
// requests) against scripted peers that speak it, and the fall back to initialize for servers that predate it.
type Message = { jsonrpc: string; id?: number; method?: string; params?: Record<string, unknown> };
type Seen = { method: string; headers: IncomingHttpHeaders; body: Message | null };
type Answer = (message: Message, res: ServerResponse) => unknown;

const servers: Server[] = [];
const clients: RemoteServer[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const reply = (res: ServerResponse, message: Message, result: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
};

/** A scripted HTTP peer: every request recorded and answered by `handle` (its body parsed, `null` when empty). */
async function peer(handle: (body: Message | null, req: IncomingMessage, res: ServerResponse) => unknown) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const body = raw === '' ? null : (JSON.parse(raw) as Message);
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      handle(body, req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/mcp`, seen };
}

/** A 2026-07-28 server: `server/discover` answered, every other request by `answer` (GET and DELETE: 405). */
function statelessPeer(answer: Answer, versions = ['2026-07-28']) {
  return peer((body, req, res) => {
    if (req.method !== 'POST' || body === null) return res.writeHead(405).end();
    if (body.method === 'server/discover') {
      return reply(res, body, {
        supportedVersions: versions,
        capabilities: { tools: {} },
        serverInfo: { name: 'stateless', version: '1' },
        instructions: 'be brief',
      });
    }
    if (body.id === undefined) return res.writeHead(202).end();
    return answer(body, res);
  });
}

async function connect(url: string, extra: Partial<Parameters<typeof RemoteServer.connect>[0]> = {}) {
  const client = await RemoteServer.connect({ url, clientInfo: { name: 'revisions-test', version: '9' }, ...extra });
  clients.push(client);
  return client;
}

const tools = [
  {
    name: 'lookup',
    inputSchema: {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        note: { type: 'string', 'x-mcp-header': 'Note' },
        limit: { type: 'integer', 'x-mcp-header': 'Limit' },
        query: { type: 'string' },
      },
    },
  },
  {
    name: 'broken',
    inputSchema: { type: 'object', properties: { score: { type: 'number', 'x-mcp-header': 'Score' } } },
  },
];

describe('MCP 2026-07-28', () => {
  it('server/discover, not initialize; every request carries the version, _meta and SEP-2243 headers', async () => {
    const peer = await statelessPeer((message, res) => {
      if (message.method === 'tools/list') return reply(res, message, { resultType: 'complete', tools });
      return reply(res, message, { content: [{ type: 'text', text: 'ok' }] });
    });
    const client = await connect(peer.url, { elicitation: async () => ({ action: 'decline' }) });
    expect(client.protocolVersion).toBe('2026-07-28');
    expect(client.serverInfo?.name).toBe('stateless');
    expect(client.instructions).toBe('be brief');
    expect(client.sessionId).toBeNull();
    // The tool with an invalid x-mcp-header (on a number) is left out; the valid one is kept.
    expect((await client.listTools()).map((tool) => tool.name)).toEqual(['lookup']);
    await client.callTool('lookup', { region: 'eu-west', note: ' padded, é ', limit: 5, query: 'SELECT 1' });
    await client.close();

    const posts = peer.seen.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.body?.method)).toEqual(['server/discover', 'tools/list', 'tools/call']);
    expect(peer.seen.some((request) => request.method !== 'POST')).toBe(false); // no GET stream, no DELETE
    for (const request of posts) {
      expect(request.headers['mcp-protocol-version']).toBe('2026-07-28');
      expect(request.headers['mcp-method']).toBe(request.body?.method);
      expect(request.headers['mcp-session-id']).toBeUndefined();
      expect(request.body?.params?.['_meta']).toMatchObject({
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
        'io.modelcontextprotocol/clientInfo': { name: 'revisions-test', version: '9' },
      });
    }
    const call = posts[2]?.headers ?? {};
    expect(call['mcp-name']).toBe('lookup');
    expect(call['mcp-param-region']).toBe('eu-west');
    expect(call['mcp-param-note']).toBe(`=?base64?${Buffer.from(' padded, é ').toString('base64')}?=`);
    expect(call['mcp-param-limit']).toBe('5');
    expect(Object.keys(call).filter((name) => name.startsWith('mcp-param-'))).toHaveLength(3);
  });

  it('a -32022 refusal that lists 2026-07-28 is asked once more', async () => {
    let refused = 0;
    const server = await peer((raw, _req, res) => {
      const body = raw ?? ({ jsonrpc: '2.0' } as Message);
      if (body.method === 'server/discover' && refused++ === 0) {
        res.writeHead(400, { 'content-type': 'application/json' });
        const error = { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2026-07-28'] } };
        return res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, error }));
      }
      if (body.method === 'server/discover') {
        return reply(res, body, { supportedVersions: ['2026-07-28'], capabilities: {} });
      }
      return reply(res, body, { tools: [] });
    });
    const client = await connect(server.url);
    expect(client.protocolVersion).toBe('2026-07-28');
    expect(refused).toBe(2);
  });

  it('a server that offers only versions this client does not know: a GatewayProtocolError naming them', async () => {
    const peer = await statelessPeer(() => undefined, ['2099-01-01']);
    const error = await RemoteServer.connect({ url: peer.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(String(error)).toContain('2099-01-01');
  });

  it('multi-round-trip requests: input asked for is answered by the handler and the request sent again', async () => {
    const peer = await statelessPeer((message, res) => {
      const params = message.params ?? {};
      if (params['inputResponses'] === undefined) {
        return reply(res, message, {
          resultType: 'input_required',
          requestState: 'opaque-state-1',
          inputRequests: {
            confirm: {
              method: 'elicitation/create',
              params: { message: 'Sure?', requestedSchema: { type: 'object' } },
            },
          },
        });
      }
      return reply(res, message, { content: [{ type: 'text', text: JSON.stringify(params) }] });
    });
    const asked: string[] = [];
    const client = await connect(peer.url, {
      elicitation: async ({ message }) => (asked.push(message), { action: 'accept', content: {} }),
    });
    const result = await client.callTool('deploy', { env: 'prod' });
    expect(asked).toEqual(['Sure?']);
    const sent = JSON.parse(String(result.content[0]?.['text'])) as Record<string, unknown>;
    expect(sent['arguments']).toEqual({ env: 'prod' });
    expect(sent['requestState']).toBe('opaque-state-1');
    expect(sent['inputResponses']).toEqual({ confirm: { action: 'accept', content: {} } });
    const calls = peer.seen.filter((request) => request.body?.method === 'tools/call');
    expect(calls).toHaveLength(2);
    expect(calls[0]?.body?.id).not.toBe(calls[1]?.body?.id);
  });

  it('a page to open and no elicitation handler: UrlElicitationRequiredError with the URL, redacted', async () => {
    const page = 'https://consent.example/approve?request=r-7&access_token=tok-abcdef123456';
    const peer = await statelessPeer((message, res) =>
      reply(res, message, {
        resultType: 'input_required',
        inputRequests: {
          consent: { method: 'elicitation/create', params: { mode: 'url', url: page, message: 'Approve' } },
        },
      }),
    );
    const client = await connect(peer.url);
    const error = await client.callTool('book').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UrlElicitationRequiredError);
    const required = error as UrlElicitationRequiredError;
    expect(required.url).toMatch(/^https:\/\/consent\.example\/approve\?request=r-7&access_token=/);
    expect(required.url).not.toContain('tok-abcdef123456');
    expect(required.elicitations[0]?.message).toBe('Approve');
  });

  it('a server that asks for input forever is given up after 8 rounds, typed', async () => {
    const peer = await statelessPeer((message, res) =>
      reply(res, message, {
        resultType: 'input_required',
        inputRequests: { again: { method: 'roots/list' } },
      }),
    );
    const client = await connect(peer.url, { roots: [{ uri: 'file:///x' }] });
    await expect(client.callTool('loop')).rejects.toBeInstanceOf(GatewayProtocolError);
    expect(peer.seen.filter((request) => request.body?.method === 'tools/call').length).toBe(9);
  });
});

describe('servers that predate 2026-07-28', () => {
  it('-32042 (URL elicitation required) is a UrlElicitationRequiredError naming the pages', async () => {
    const server = await peer((raw, _req, res) => {
      const body = raw ?? ({ jsonrpc: '2.0' } as Message);
      if (body.method === 'server/discover') return res.writeHead(400).end();
      if (body.method === 'initialize') {
        return reply(res, body, {
          protocolVersion: '2025-11-25',
          capabilities: {},
          serverInfo: { name: 'x', version: '1' },
        });
      }
      if (body.id === undefined) return res.writeHead(202).end();
      const data = {
        elicitations: [
          {
            mode: 'url',
            url: 'https://auth.example/connect?code=c-1',
            message: 'Connect GitHub',
            elicitationId: 'e-1',
          },
        ],
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({ jsonrpc: '2.0', id: body.id, error: { code: -32042, message: 'URL required', data } }),
      );
    });
    const client = await connect(server.url);
    const error = await client.callTool('repos').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UrlElicitationRequiredError);
    expect((error as UrlElicitationRequiredError).elicitations).toEqual([
      { url: 'https://auth.example/connect?code=c-1', message: 'Connect GitHub', elicitationId: 'e-1' },
    ]);
  });

  it('discover refused: initialize, and MCP-Protocol-Version on all after it, initialized included', async () => {
    const { url, seen } = await peer((body, req, res) => {
      if (body?.method === 'server/discover') {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'No session' } }));
      }
      if (body?.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's-1' });
        const result = { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'old', version: '1' } };
        return res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result }));
      }
      if (body === null || body.id === undefined) return res.writeHead(req.method === 'GET' ? 405 : 202).end();
      return reply(res, body, { tools: [] });
    });
    const client = await connect(url);
    expect(client.protocolVersion).toBe('2025-11-25');
    await client.listTools();
    const methods = seen.filter((s) => s.method === 'POST').map((s) => s.body?.method);
    expect(methods).toEqual(['server/discover', 'initialize', 'notifications/initialized', 'tools/list']);
    const initialized = seen.find((s) => s.body?.method === 'notifications/initialized');
    expect(initialized?.headers['mcp-protocol-version']).toBe('2025-11-25');
    expect(initialized?.headers['mcp-session-id']).toBe('s-1');
    const list = seen.find((s) => s.body?.method === 'tools/list');
    expect(list?.body?.params?.['_meta']).toBeUndefined(); // per-request _meta is 2026-07-28's
  });
});
