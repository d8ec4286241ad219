import { afterEach, describe, expect, it } from 'vitest';
import { ClientClosedError, GatewayConfigError, GatewayProtocolError } from '@sark/core';
import { LocalServer, LocalServerManager, StdioTransport } from '@sark/transport-stdio';
import { isAlive, processesWith, scripted, waitFor } from './helpers';

const cleanup: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((s) => s.stop()));
});

describe('every loop has a bound', () => {
  it('tools/list following a cursor it has seen before ends with a GatewayProtocolError', async () => {
    const server = await LocalServer.start(scripted('--endless-cursor'));
    cleanup.push(server);
    const error = await server.listTools().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect((error as Error).message).toContain('the server sent cursor "page-2" a second time');
    expect(server.getMetrics().requestsSent).toBeLessThan(5);
  });

  it('an answer over maxMessageBytes fails its request at once, naming the size and the limit', async () => {
    const transport = await StdioTransport.start({
      ...scripted(),
      maxMessageBytes: 64 * 1024,
      requestTimeoutMs: 20_000,
    });
    cleanup.push(transport);
    const started = performance.now();
    const error = await transport.sendRequest('big', { bytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect((error as Error).message).toMatch(
      /the answer to request \d+ was \d+ bytes or more, over maxMessageBytes \(65536\)/,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(transport.sendRequest('echo', { still: 'working' })).resolves.toEqual({ still: 'working' });
  });

  it('parameters that are not JSON data are a GatewayConfigError, and nothing is written', async () => {
    const transport = await StdioTransport.start(scripted());
    cleanup.push(transport);
    await expect(transport.sendRequest('echo', { n: 1n })).rejects.toThrow(
      'echo: params.n: a BigInt is not a JSON value',
    );
    await expect(transport.sendRequest('echo', { n: 1n })).rejects.toBeInstanceOf(GatewayConfigError);
    expect(transport.getMetrics().responsesReceived).toBe(0);
  });
});

describe('processes: nothing outlives what started it', () => {
  it('a crashed server’s process group is reaped as soon as the crash is seen, not at close()', async () => {
    const server = await LocalServer.start(scripted('--spawn-grandchild'));
    cleanup.push(server);
    const { grandchild } = (await server.sendRequest('pids')) as { grandchild: number };
    expect(isAlive(grandchild)).toBe(true);
    await server.sendRequest('crash').catch(() => undefined);
    await waitFor(() => !isAlive(grandchild));
  });

  it('close() while a server is still in its handshake rejects with ClientClosedError and kills it', async () => {
    const manager = new LocalServerManager();
    const connecting = manager.connect({ ...scripted('--mute'), requestTimeoutMs: 30_000 }).catch((e: unknown) => e);
    await waitFor(() => processesWith('--mute').length === 1);
    const started = performance.now();
    await manager.close();
    const error = await connecting;
    expect(error).toBeInstanceOf(ClientClosedError);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(processesWith('--mute')).toEqual([]);
  });
});
