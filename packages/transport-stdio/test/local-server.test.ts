import { afterEach, describe, expect, it } from 'vitest';
import { ClientClosedError, GatewayConfigError, GatewayProtocolError, ProcessExitedError } from '@sark/core';
import { LocalServer, LocalServerManager, defaultServerId } from '@sark/transport-stdio';
import { isAlive, scripted, waitFor } from './helpers';

const cleanup: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((s) => s.stop()));
});

describe('LocalServer', () => {
  it('refuses a server that speaks an unsupported protocol version, leaving no process', async () => {
    const error = await LocalServer.start({ ...scripted('--protocol=1999-01-01') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect((error as Error).message).toContain('1999-01-01');
  });

  it('accepts an older supported protocol version', async () => {
    const server = await LocalServer.start({ ...scripted('--protocol=2025-03-26') });
    cleanup.push(server);
    expect(server.protocolVersion).toBe('2025-03-26');
    expect(server.serverInfo).toMatchObject({ name: 'scripted', version: '1.0.0' });
  });

  it('skips the handshake on request', async () => {
    const server = await LocalServer.start({ ...scripted(), handshake: false });
    cleanup.push(server);
    expect(server.serverInfo).toBeNull();
    await expect(server.sendRequest('echo', 'raw')).resolves.toBe('raw');
  });

  it('restarts after an unexpected exit when asked to, keeping notification handlers', async () => {
    const server = await LocalServer.start({
      ...scripted(),
      restart: { maxRestarts: 2, initialDelayMs: 50, jitter: false },
    });
    cleanup.push(server);
    const firstPid = server.pid;
    const seen: string[] = [];
    server.onNotification((method) => seen.push(method));
    await expect(server.sendRequest('crash')).rejects.toBeInstanceOf(ProcessExitedError);
    await waitFor(() => server.isRunning && server.pid !== firstPid);
    await expect(server.sendRequest('echo', 'again')).resolves.toBe('again');
    await server.sendRequest('notify', { count: 1 });
    expect(seen).toEqual(['notifications/message']);
    expect(server.getMetrics().restarts).toBe(1);
  });

  it('a restart starts the program it was given, whatever later happens to the options object', async () => {
    const options = { ...scripted(), restart: { maxRestarts: 1, initialDelayMs: 50, jitter: false } };
    const server = await LocalServer.start(options);
    cleanup.push(server);
    const firstPid = server.pid;
    options.command = '/nonexistent/program'; // a caller reusing its options object for something else
    options.args.length = 0;
    await expect(server.sendRequest('crash')).rejects.toBeInstanceOf(ProcessExitedError);
    await waitFor(() => server.isRunning && server.pid !== firstPid);
    await expect(server.sendRequest('echo', 'same program')).resolves.toBe('same program');
  });

  it('stop() ends the wait before a restart: no restart happens and stop() does not wait for the backoff', async () => {
    const server = await LocalServer.start({ ...scripted(), restart: { maxRestarts: 1, initialDelayMs: 600_000 } });
    cleanup.push(server);
    await expect(server.sendRequest('crash')).rejects.toBeInstanceOf(ProcessExitedError);
    await server.stop(); // without the wait being ended this hangs for 10 minutes (the test times out)
    expect(server.isRunning).toBe(false);
    await expect(server.sendRequest('echo', 'x')).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('does not restart by default', async () => {
    const server = await LocalServer.start({ ...scripted() });
    cleanup.push(server);
    await expect(server.sendRequest('crash')).rejects.toBeInstanceOf(ProcessExitedError);
    expect(server.isRunning).toBe(false);
    await expect(server.health()).resolves.toMatchObject({ status: 'stopped', responsive: false });
  });

  it('liveness pings keep an idle healthy server alive', async () => {
    const server = await LocalServer.start({ ...scripted(), pingIntervalMs: 20, restart: { maxRestarts: 1 } });
    cleanup.push(server);
    const pid = server.pid as number;
    await waitFor(() => server.getMetrics().requestsSent > 5); // initialize + several pings answered
    expect(isAlive(pid)).toBe(true);
    expect(server.pid).toBe(pid);
    expect(server.getMetrics().restarts).toBe(0);
  });

  it('a server that stops answering pings is reported unresponsive and restarted (restart on)', async () => {
    // Pings time out after 100 ms; the restarted process gets longer for its handshake (node starts slowly under load).
    const server = await LocalServer.start({
      ...scripted('--deaf-after-init'),
      pingIntervalMs: 50,
      requestTimeoutMs: 100,
      handshakeTimeoutMs: 10_000,
      restart: { maxRestarts: 1, initialDelayMs: 10, jitter: false },
    });
    cleanup.push(server);
    const firstPid = server.pid as number;
    await waitFor(() => server.getMetrics().restarts === 1 && server.isRunning);
    expect(isAlive(firstPid)).toBe(false);
    expect(server.pid).not.toBe(firstPid);
  });

  it('after stop() calls reject with ClientClosedError', async () => {
    const server = await LocalServer.start({ ...scripted() });
    await server.stop();
    await expect(server.sendRequest('echo', 1)).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('derives a stable default id from command, args and cwd', () => {
    const a = defaultServerId({ command: '/usr/bin/node', args: ['x.js'] });
    expect(a).toBe(defaultServerId({ command: '/usr/bin/node', args: ['x.js'] }));
    expect(a).not.toBe(defaultServerId({ command: '/usr/bin/node', args: ['y.js'] }));
    expect(a).not.toBe(defaultServerId({ command: '/usr/bin/node', args: ['x.js'], cwd: '/tmp' }));
    expect(a).toMatch(/^node-[0-9a-f]{8}$/);
  });
});

describe('LocalServerManager', () => {
  it('keeps servers by id, refuses duplicates, reports health and stops all on close', async () => {
    const manager = new LocalServerManager();
    const a = await manager.connect({ ...scripted(), serverId: 'a' });
    const b = await manager.connect({ ...scripted(), serverId: 'b' });
    await expect(manager.connect({ ...scripted(), serverId: 'a' })).rejects.toBeInstanceOf(GatewayConfigError);
    expect(manager.ids()).toEqual(['a', 'b']);
    expect(manager.get('a')).toBe(a);
    const health = await manager.health({ ping: true });
    expect(health).toMatchObject({
      a: { status: 'running', pid: a.pid, responsive: true },
      b: { status: 'running', pid: b.pid },
    });
    await manager.disconnect('a');
    expect(isAlive(a.pid as number)).toBe(false);
    expect(manager.size).toBe(1);
    const pidB = b.pid as number;
    await manager.close();
    expect(isAlive(pidB)).toBe(false);
    await expect(manager.connect({ ...scripted(), serverId: 'c' })).rejects.toBeInstanceOf(ClientClosedError);
  });
});
