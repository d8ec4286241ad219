import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientClosedError, GatewayConfigError, TimeoutError, type McpProgress } from '@sark/core';
import { RemoteServer, type RemoteServerOptions } from '@sark/transport-mcp-http';
import { startEverythingHttp } from '@sark/test-support/everything-http.mjs';

let everything: Awaited<ReturnType<typeof startEverythingHttp>>;
beforeAll(async () => {
  everything = await startEverythingHttp();
});
afterAll(async () => {
  await everything.stop();
});

const open: RemoteServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function connect(options: Partial<RemoteServerOptions> = {}): Promise<RemoteServer> {
  const server = await RemoteServer.connect({ url: everything.url, ...options });
  open.push(server);
  return server;
}

const text = (result: { content: readonly Readonly<Record<string, unknown>>[] }) =>
  result.content.map((part) => String(part['text'] ?? '')).join('\n');

describe('RemoteServer against server-everything over Streamable HTTP (the official SDK server transport)', () => {
  it('connects: session id, negotiated version, server info, instructions', async () => {
    const server = await connect();
    expect(server.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.protocolVersion).toBe('2025-11-25');
    expect(server.serverInfo?.name).toBe('mcp-servers/everything');
    expect(server.instructions?.length).toBeGreaterThan(100);
  });

  it('lists tools and calls one (the answer comes as an SSE stream)', async () => {
    const server = await connect();
    const names = (await server.listTools()).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']));
    expect(text(await server.callTool('echo', { message: 'over http' }))).toBe('Echo: over http');
    expect(text(await server.callTool('get-sum', { a: 19, b: 23 }))).toContain('42');
  });

  it('answers the server’s own requests, sent on the answer stream: sampling, elicitation, roots', async () => {
    const server = await connect({
      sampling: async () => ({ role: 'assistant', content: { type: 'text', text: 'sampled!' }, model: 'test' }),
      elicitation: async () => ({ action: 'accept', content: { name: 'Remote' } }),
      roots: [{ uri: 'file:///srv/remote', name: 'remote' }],
    });
    expect(text(await server.callTool('trigger-sampling-request', { prompt: 'hi', maxTokens: 5 }))).toContain(
      'sampled!',
    );
    const elicited = text(await server.callTool('trigger-elicitation-request'));
    expect(elicited).toContain('- Name: Remote');
    expect(elicited).toContain('- Favorite Number: 3.14'); // a default filled in
    expect(text(await server.callTool('get-roots-list'))).toContain('file:///srv/remote');
  });

  it('progress over the answer stream, and resetTimeoutOnProgress', async () => {
    const server = await connect();
    const updates: McpProgress[] = [];
    await server.callTool(
      'trigger-long-running-operation',
      { duration: 2, steps: 8 },
      { timeoutMs: 1000, resetTimeoutOnProgress: true, onProgress: (update) => updates.push(update) },
    );
    expect(updates.map((update) => update.progress)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const strict = server.callTool('trigger-long-running-operation', { duration: 2, steps: 8 }, { timeoutMs: 1000 });
    await expect(strict).rejects.toBeInstanceOf(TimeoutError);
  });

  it('close() DELETEs the session: the server forgets it, and later calls reject', async () => {
    const server = await connect();
    const probe = () =>
      fetch(everything.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': server.sessionId as string,
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'ping' }),
      }).then(async (response) => {
        await response.body?.cancel();
        return response.status;
      });
    expect(await probe()).toBe(200);
    await server.close();
    expect(await probe()).toBe(400); // server-everything's answer to a session it does not know
    await expect(server.listTools()).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('a bearer token provider is asked before each request; bad options are config errors', async () => {
    let asked = 0;
    const server = await connect({ token: () => `token-${++asked}` });
    await server.listTools();
    expect(asked).toBeGreaterThanOrEqual(3); // initialize, initialized, tools/list (and the server stream)
    await expect(RemoteServer.connect({ url: 'ftp://example.com/mcp' })).rejects.toBeInstanceOf(GatewayConfigError);
    await expect(
      RemoteServer.connect({ url: everything.url, headers: { 'x-api-key': 'a\r\nb' } }),
    ).rejects.toBeInstanceOf(GatewayConfigError);
  });
});
