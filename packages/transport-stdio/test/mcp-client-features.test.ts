import { afterAll, describe, expect, it } from 'vitest';
import { GatewayProtocolError, JsonRpcError, StdioTransportError, TimeoutError, type McpProgress } from '@sark/core';
import { LocalServer, type LocalServerOptions, type McpCreateMessageParams, type McpRoot } from '@sark/transport-stdio';
import { mcpServerEntry, scripted } from './helpers';

// The tests run concurrently (most of their time is spent waiting on the servers' timers), so every server started
// is stopped once the file is done rather than after each test.
const open: LocalServer[] = [];
afterAll(async () => {
  await Promise.all(open.splice(0).map((server) => server.stop()));
});

async function everything(options: Partial<LocalServerOptions> = {}): Promise<LocalServer> {
  const server = await LocalServer.start({
    command: process.execPath,
    args: [mcpServerEntry('@modelcontextprotocol/server-everything'), 'stdio'],
    handshakeTimeoutMs: 20_000,
    ...options,
  });
  open.push(server);
  return server;
}

// The tests that need no handler share one server-everything (a process start is a third of a second of CPU).
let plain: Promise<LocalServer> | undefined;
const plainEverything = (): Promise<LocalServer> => (plain ??= everything());

async function start(options: LocalServerOptions): Promise<LocalServer> {
  const server = await LocalServer.start(options);
  open.push(server);
  return server;
}

const text = (result: { content: readonly Readonly<Record<string, unknown>>[] }) =>
  result.content.map((part) => String(part['text'] ?? '')).join('\n');

describe.concurrent('server → client requests against server-everything', () => {
  it('without handlers no capability is advertised and the server hides the tools that need them', async () => {
    const names = (await (await plainEverything()).listTools()).map((tool) => tool.name);
    expect(names).not.toContain('trigger-sampling-request');
    expect(names).not.toContain('trigger-elicitation-request');
    expect(names).not.toContain('get-roots-list');
  });

  it('sampling: the handler answers sampling/createMessage and the tool returns its answer', async () => {
    const asked: McpCreateMessageParams[] = [];
    const server = await everything({
      sampling: async (params) => {
        asked.push(params);
        return { role: 'assistant', content: { type: 'text', text: 'forty-two' }, model: 'test-model' };
      },
    });
    expect((await server.listTools()).map((tool) => tool.name)).toContain('trigger-sampling-request');
    const result = await server.callTool('trigger-sampling-request', { prompt: 'the answer?', maxTokens: 10 });
    expect(text(result)).toContain('forty-two');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.maxTokens).toBe(10);
    expect(JSON.stringify(asked[0]?.messages)).toContain('the answer?');
  });

  it('elicitation: defaults of the requested schema fill what the handler left out (SEP-1034)', async () => {
    const server = await everything({
      elicitation: async (params) => {
        expect(params.message).toContain('Please provide');
        return { action: 'accept', content: { name: 'Ana', check: true, integer: 7 } };
      },
    });
    const result = text(await server.callTool('trigger-elicitation-request'));
    expect(result).toContain('- Name: Ana');
    expect(result).toContain('- Favorite Integer: 7'); // the handler's own value wins over the default (42)
    expect(result).toContain('- Favorite Number: 3.14'); // filled from the schema's default
  });

  it('elicitation: a decline reaches the server as a decline', async () => {
    const server = await everything({ elicitation: async () => ({ action: 'decline' }) });
    expect(text(await server.callTool('trigger-elicitation-request'))).toContain('declined');
  });

  it('roots: a list, and a function whose change is announced with rootsChanged()', async () => {
    let roots: McpRoot[] = [{ uri: 'file:///work/project', name: 'project' }];
    let asked = 0;
    const server = await everything({
      roots: async () => {
        asked++;
        return roots;
      },
    });
    expect(text(await server.callTool('get-roots-list'))).toContain('file:///work/project');
    roots = [{ uri: 'file:///work/other', name: 'other' }];
    const before = asked;
    await server.rootsChanged();
    await expect.poll(() => asked).toBeGreaterThan(before);
    await expect.poll(async () => text(await server.callTool('get-roots-list'))).toContain('file:///work/other');
  });

  it('instructions and the negotiated protocol version are exposed', async () => {
    const server = await plainEverything();
    expect(server.protocolVersion).toBe('2025-11-25');
    expect(server.instructions?.length).toBeGreaterThan(100);
  });
});

describe.concurrent('progress', () => {
  it('onProgress hears every step of the long-running tool', async () => {
    const server = await plainEverything();
    const updates: McpProgress[] = [];
    await server.callTool(
      'trigger-long-running-operation',
      { duration: 1, steps: 4 },
      { onProgress: (p) => updates.push(p) },
    );
    expect(updates.map((update) => update.progress)).toEqual([1, 2, 3, 4]);
    expect(updates[0]?.total).toBe(4);
  });

  it('resetTimeoutOnProgress lets a 2 s call finish under a 1 s timeout; without it the call times out', async () => {
    const server = await plainEverything();
    const call = { duration: 2, steps: 8 };
    const long = server.callTool('trigger-long-running-operation', call, {
      timeoutMs: 1000,
      onProgress: () => undefined,
      resetTimeoutOnProgress: true,
    });
    const strict = server
      .callTool('trigger-long-running-operation', call, {
        timeoutMs: 1000,
        onProgress: () => undefined,
      })
      .catch((e: unknown) => e);
    await expect(long).resolves.toMatchObject({ content: [{ type: 'text' }] });
    expect(await strict).toBeInstanceOf(TimeoutError);
  });

  it('maxTotalTimeoutMs bounds the call even while progress keeps coming', async () => {
    const server = await plainEverything();
    const error = await server
      .callTool(
        'trigger-long-running-operation',
        { duration: 3, steps: 12 },
        {
          timeoutMs: 1000,
          onProgress: () => undefined,
          resetTimeoutOnProgress: true,
          maxTotalTimeoutMs: 1200,
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain('maxTotalTimeoutMs of 1200 ms');
  });
});

describe.concurrent('server requests: errors, bounds and redaction', () => {
  it('a failing handler answers -32603 with a redacted message; an unknown method -32601', async () => {
    const server = await start({
      ...scripted(),
      sampling: async () => {
        throw new Error('model down: api_key=sk-live-abcdef123456');
      },
    });
    const failed = (await server.sendRequest('askClient', {
      method: 'sampling/createMessage',
      params: { messages: [], maxTokens: 5 },
    })) as { error: { code: number; message: string } };
    expect(failed.error.code).toBe(-32603);
    expect(failed.error.message).toContain('model down');
    expect(failed.error.message).not.toContain('sk-live-abcdef123456');
    const unknown = (await server.sendRequest('askClient', { method: 'roots/list' })) as { error: { code: number } };
    expect(unknown.error.code).toBe(-32601);
    const invalid = (await server.sendRequest('askClient', { method: 'sampling/createMessage', params: {} })) as {
      error: { code: number };
    };
    expect(invalid.error.code).toBe(-32602);
  });

  it('a handler answering something invalid is refused (-32602), never forwarded', async () => {
    const server = await start({
      ...scripted(),
      elicitation: async () => ({ action: 'maybe' }) as never,
    });
    const answer = (await server.sendRequest('askClient', {
      method: 'elicitation/create',
      params: { message: 'x', requestedSchema: { type: 'object' } },
    })) as { error: { code: number; message: string } };
    expect(answer.error).toMatchObject({ code: -32602 });
    expect(answer.error.message).toContain('Invalid elicitation result');
  });
});

describe.concurrent('outputSchema', () => {
  it('structuredContent is checked against the listed tool’s outputSchema', async () => {
    const server = await start({ ...scripted('--output-schema') });
    await server.listTools();
    await expect(server.callTool('weather', { structured: { temperature: 21, unit: 'C' } })).resolves.toMatchObject({
      structuredContent: { temperature: 21 },
    });
    const wrong = await server.callTool('weather', { structured: { temperature: 'warm' } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(GatewayProtocolError);
    expect((wrong as Error).message).toMatch(/structuredContent does not match the tool's outputSchema: .*temperature/);
    const missing = await server.callTool('weather', {}).catch((e: unknown) => e);
    expect((missing as Error).message).toContain('returned no structuredContent');
    // A tool's own failure is not held to the schema.
    await expect(server.callTool('weather', { isError: true })).resolves.toMatchObject({ isError: true });
  });

  it('the real server-everything structured tool passes its own schema', async () => {
    const server = await plainEverything();
    await server.listTools();
    const result = await server.callTool('get-structured-content', { location: 'New York' });
    expect(result.structuredContent).toMatchObject({ temperature: expect.any(Number) });
  });
});

describe.concurrent('handshake: versions and clear errors', () => {
  it('accepts 2024-10-07, as the official SDK client does', async () => {
    const server = await start({ ...scripted('--protocol=2024-10-07') });
    expect(server.protocolVersion).toBe('2024-10-07');
  });

  it('a server that echoes ids as strings: the error says so', async () => {
    const error = await start({ ...scripted('--string-ids'), handshakeTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StdioTransportError);
    expect((error as Error).message).toContain('does not echo JSON-RPC ids as sent');
    expect((error as Error).message).toMatch(/an answer with id "\d+" \(a string/);
    expect((error as Error).cause).toBeInstanceOf(TimeoutError);
  });

  it('a program that is not an MCP server: the error quotes the start of its output', async () => {
    const error = await start({
      command: process.execPath,
      args: ['-e', 'console.log("usage: frobnicate [--fast] <file>"); setInterval(() => {}, 1000)'],
      handshakeTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StdioTransportError);
    expect((error as Error).message).toMatch(
      /^Not an MCP server: no initialize response within 500 ms; its output began/,
    );
    expect((error as Error).message).toContain('usage: frobnicate [--fast] <file>');
  });

  it('a JSON-RPC error is still a JsonRpcError (not dressed up as a timeout)', async () => {
    const server = await start({ ...scripted() });
    await expect(server.sendRequest('fail')).rejects.toBeInstanceOf(JsonRpcError);
  });
});
