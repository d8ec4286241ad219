import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalServer } from '@sark/transport-stdio';
import { isAlive, mcpServerEntry } from './helpers';

// Real MCP servers from npm, started with this Node from their installed packages.
describe('@modelcontextprotocol/server-everything', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await LocalServer.start({
      command: process.execPath,
      args: [mcpServerEntry('@modelcontextprotocol/server-everything'), 'stdio'],
      serverId: 'everything',
    });
  });
  afterAll(async () => {
    const pid = server.pid as number;
    await server.stop();
    expect(isAlive(pid)).toBe(false);
  });

  it('completes the MCP handshake', () => {
    expect(server.protocolVersion).toBe('2025-11-25');
    expect(server.serverInfo?.name).toBe('mcp-servers/everything');
    expect(server.capabilities).toHaveProperty('tools');
    expect(server.isRunning).toBe(true);
    expect(server.stderr).toContain('Starting default (STDIO) server');
  });

  it('lists its tools', async () => {
    const tools = await server.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    expect(tools.find((tool) => tool.name === 'echo')?.inputSchema).toMatchObject({
      properties: { message: { type: 'string' } },
    });
  });

  it('calls echo and get-sum', async () => {
    await expect(server.callTool('echo', { message: 'hello sark' })).resolves.toMatchObject({
      content: [{ type: 'text', text: 'Echo: hello sark' }],
    });
    const sum = await server.callTool('get-sum', { a: 2, b: 40 });
    expect(JSON.stringify(sum.content)).toContain('42');
    expect(sum.isError).not.toBe(true);
  });

  it('an unknown tool is a result with isError, not a JSON-RPC error', async () => {
    const result = await server.callTool('no-such-tool', {});
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('no-such-tool');
  });

  it('forwards progress notifications of a long-running tool', async () => {
    const progress: unknown[] = [];
    const off = server.onNotification((method, params) => {
      if (method === 'notifications/progress') progress.push(params);
    });
    await server.sendRequest('tools/call', {
      name: 'trigger-long-running-operation',
      arguments: { duration: 0.3, steps: 3 },
      _meta: { progressToken: 'p1' },
    });
    off();
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[0]).toMatchObject({ progressToken: 'p1', progress: 1 });
  });

  it('answers ping and reports health', async () => {
    await expect(server.health({ ping: true })).resolves.toMatchObject({
      status: 'running',
      responsive: true,
      pid: server.pid,
    });
  });
});

describe('@modelcontextprotocol/server-memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sark-memory-'));
  let server: LocalServer;
  beforeAll(async () => {
    server = await LocalServer.start({
      command: process.execPath,
      args: [mcpServerEntry('@modelcontextprotocol/server-memory')],
      env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
    });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores entities and reads them back', async () => {
    const created = await server.callTool('create_entities', {
      entities: [{ name: 'sark', entityType: 'project', observations: ['speaks MCP'] }],
    });
    expect(created.isError).not.toBe(true);
    const graph = await server.callTool('read_graph', {});
    expect(JSON.stringify(graph.content)).toContain('speaks MCP');
    expect(server.serverId).toMatch(/^node-[0-9a-f]{8}$/);
  });
});
