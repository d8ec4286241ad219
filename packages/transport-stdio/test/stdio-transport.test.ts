import { afterEach, describe, expect, it } from 'vitest';
import {
  ClientClosedError,
  GatewayConfigError,
  GatewayProtocolError,
  JsonRpcError,
  ProcessExitedError,
  ProcessStartError,
  TimeoutError,
  redact,
} from '@sark/core';
import { StdioTransport } from '@sark/transport-stdio';
import { isAlive, openFileDescriptors, scripted, waitFor } from './helpers';

const started: StdioTransport[] = [];
async function start(...flags: string[]) {
  const transport = await StdioTransport.start({ ...scripted(...flags), requestTimeoutMs: 10_000 });
  started.push(transport);
  return transport;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop({ graceMs: 200 })));
});

describe('requests and responses', () => {
  it('sends integer ids from 0 and resolves results', async () => {
    const t = await start();
    await expect(t.sendRequest('echo', { a: 1 })).resolves.toEqual({ a: 1 });
    await expect(t.sendRequest('echo', [1, 2])).resolves.toEqual([1, 2]);
    expect(t.getMetrics()).toMatchObject({ requestsSent: 2, responsesReceived: 2, pending: 0 });
  });

  it('matches 1 000 concurrent requests to the right responses', async () => {
    const t = await start();
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => t.sendRequest<{ i: number }>('echo', { i })),
    );
    expect(results.map((r) => r.i)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('rejects with JsonRpcError carrying code, message and data', async () => {
    const t = await start();
    const error = (await t.sendRequest('fail').catch((e: unknown) => e)) as JsonRpcError;
    expect(error).toBeInstanceOf(JsonRpcError);
    expect(error).toMatchObject({
      code: 'ERR_JSONRPC',
      rpcCode: -32050,
      message: 'Scripted failure',
      data: { hint: 'as asked' },
    });
    await expect(t.sendRequest('no/such/method')).rejects.toMatchObject({ rpcCode: -32601 });
  });

  it('answers the server’s ping with {} and refuses other server requests with -32601', async () => {
    const t = await start();
    await expect(t.sendRequest('askClient', { method: 'ping' })).resolves.toMatchObject({ result: {} });
    await expect(t.sendRequest('askClient', { method: 'roots/list' })).resolves.toMatchObject({
      error: { code: -32601 },
    });
  });

  it('delivers notifications to handlers, in order', async () => {
    const t = await start();
    const seen: unknown[] = [];
    const off = t.onNotification((method, params) => seen.push([method, (params as { data: number }).data]));
    await t.sendRequest('notify', { count: 3 });
    expect(seen).toEqual([
      ['notifications/message', 0],
      ['notifications/message', 1],
      ['notifications/message', 2],
    ]);
    off();
    await t.sendRequest('notify', { count: 1 });
    expect(seen).toHaveLength(3);
  });
});

describe('framing', () => {
  it('skips and counts non-JSON stdout lines without failing', async () => {
    const t = await start('--banner');
    await expect(t.sendRequest('garbage')).resolves.toEqual({ ok: true });
    await expect(t.sendRequest('echo', 'still fine')).resolves.toBe('still fine');
    // banner + "this is not json" + '{"half":' + "[1,2,3]" + jsonrpc 1.0 (the empty line is not counted)
    expect(t.getMetrics().skippedLines).toBe(5);
  });

  it('carries a 10 MiB message both ways', async () => {
    const t = await start();
    const payload = 'y'.repeat(10 * 1024 * 1024);
    await expect(t.sendRequest('echo', { payload })).resolves.toEqual({ payload });
    const big = await t.sendRequest<{ data: string }>('big', { bytes: 10 * 1024 * 1024 });
    expect(big.data.length).toBe(10 * 1024 * 1024);
  });

  it('reassembles a response written byte by byte (multi-byte UTF-8 included)', async () => {
    const t = await start();
    await expect(t.sendRequest('splitReply')).resolves.toEqual({ split: true, text: 'héllo wörld' });
  });

  it('drops a message over maxMessageBytes, fails its request at once and keeps working', async () => {
    const t = await StdioTransport.start({ ...scripted(), maxMessageBytes: 1024 });
    started.push(t);
    await expect(t.sendRequest('big', { bytes: 4096 }, { timeoutMs: 10_000 })).rejects.toBeInstanceOf(
      GatewayProtocolError,
    );
    expect(t.getMetrics().oversizedMessages).toBe(1);
    await expect(t.sendRequest('echo', 'small')).resolves.toBe('small');
  });

  it('an oversized answer with its id last (as the MCP SDK writes it) fails its own request at once', async () => {
    const t = await StdioTransport.start({ ...scripted('--id-last'), maxMessageBytes: 1024 });
    started.push(t);
    await expect(t.sendRequest('big', { bytes: 4096 }, { timeoutMs: 10_000 })).rejects.toThrow(/over maxMessageBytes/);
    await expect(t.sendRequest('echo', 'small')).resolves.toBe('small');
  });

  it('an over-long line naming no pending request (junk, a stranger’s answer) fails nothing', async () => {
    const t = await StdioTransport.start({ ...scripted(), maxMessageBytes: 1024 });
    started.push(t);
    await expect(t.sendRequest('noiseThenEcho', { bytes: 4096, value: 'mine' })).resolves.toBe('mine');
    await expect(t.sendRequest('noiseThenEcho', { bytes: 4096, value: 'mine too', strangerId: 999 })).resolves.toBe(
      'mine too',
    );
    expect(t.getMetrics().oversizedMessages).toBe(2);
  });
});

describe('cancellation', () => {
  it('a request timeout rejects with TimeoutError and sends notifications/cancelled', async () => {
    const t = await start();
    const error = await t.sendRequest('sleep', { ms: 2000 }, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    const cancelled = await t.sendRequest<{ requestId: number; reason: string }[]>('cancelled');
    expect(cancelled).toEqual([{ requestId: 0, reason: 'Timed out after 100 ms' }]);
  });

  it('an abort rejects with the reason and sends notifications/cancelled', async () => {
    const t = await start();
    const controller = new AbortController();
    const pending = t.sendRequest('sleep', { ms: 2000 }, { signal: controller.signal });
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
    await expect(t.sendRequest('cancelled')).resolves.toEqual([
      { requestId: 0, reason: 'Request aborted by the client' },
    ]);
  });
});

describe('process lifecycle', () => {
  it('a crash mid-request rejects every pending request at once (not at its answer) with the stderr tail', async () => {
    const t = await start();
    const slow = t.sendRequest('sleep', { ms: 5000 }).catch((e: unknown) => e);
    const crash = t.sendRequest('crash', { why: 'disk on fire' }).catch((e: unknown) => e);
    const before = performance.now();
    const [slowError, crashError] = await Promise.all([slow, crash]);
    expect(performance.now() - before).toBeLessThan(2_500); // half the sleep; typical: a few ms
    for (const error of [slowError, crashError]) {
      expect(error).toBeInstanceOf(ProcessExitedError);
      expect(error).toMatchObject({ exitCode: 3, signal: null });
      expect((error as ProcessExitedError).stderrTail).toContain('fatal: disk on fire');
    }
    expect((crashError as Error).message).toContain('fatal: disk on fire');
    expect(t.isRunning).toBe(false);
    await expect(t.sendRequest('echo', 1)).rejects.toBeInstanceOf(ProcessExitedError);
  });

  it('stop() kills a child that ignores SIGTERM after the grace period', async () => {
    const t = await start('--ignore-sigterm', '--stay-after-stdin');
    const pid = t.pid as number;
    const before = performance.now();
    await t.stop({ graceMs: 300 });
    const elapsed = performance.now() - before;
    expect(isAlive(pid)).toBe(false);
    expect(elapsed).toBeGreaterThanOrEqual(1000 + 300); // stdin closed (1 s), SIGTERM ignored (grace), SIGKILL
    expect(t.stderrTail).toContain('ignoring SIGTERM');
    expect((await t.exited).signal).toBe('SIGKILL');
  });

  it('stop() also ends the children of the child (its process group)', async () => {
    const t = await start('--spawn-grandchild');
    const { pid, grandchild } = await t.sendRequest<{ pid: number; grandchild: number }>('pids');
    expect(isAlive(grandchild)).toBe(true);
    await t.stop({ graceMs: 300 });
    await waitFor(() => !isAlive(pid) && !isAlive(grandchild));
  });

  it('stop() is idempotent and later calls reject with ClientClosedError', async () => {
    const t = await start();
    await Promise.all([t.stop(), t.stop()]);
    await t.stop();
    await expect(t.sendRequest('echo', 1)).rejects.toBeInstanceOf(ClientClosedError);
    expect((await t.exited).expected).toBe(true);
  });

  it('pending requests at stop() reject with ClientClosedError', async () => {
    const t = await start();
    const pending = t.sendRequest('sleep', { ms: 5000 }).catch((e: unknown) => e);
    await t.stop({ graceMs: 200 });
    expect(await pending).toBeInstanceOf(ClientClosedError);
  });

  it('a program that does not exist is a ProcessStartError', async () => {
    const error = await StdioTransport.start({ command: '/no/such/program-xyz' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessStartError);
    expect((error as ProcessStartError).message).toContain('ENOENT');
  });

  it('100 start/stop cycles leave no process and no file descriptor behind', async () => {
    const fdsBefore = openFileDescriptors();
    const pids: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = await StdioTransport.start(scripted());
      pids.push(t.pid as number);
      await t.sendRequest('echo', i);
      await t.stop({ graceMs: 500 });
    }
    expect(pids.filter(isAlive)).toEqual([]);
    await waitFor(() => openFileDescriptors() <= fdsBefore);
    expect(openFileDescriptors()).toBeLessThanOrEqual(fdsBefore);
  }, 60_000);
});

describe('environment', () => {
  it('a parent variable is absent unless inherited; given env and safe variables are present', async () => {
    process.env['SARK_TEST_PARENT_SECRET'] = 'parent-only';
    try {
      const isolated = await StdioTransport.start({ ...scripted(), env: { SARK_GIVEN: 'given' } });
      started.push(isolated);
      const env = await isolated.sendRequest<Record<string, string>>('env');
      expect(env['SARK_TEST_PARENT_SECRET']).toBeUndefined();
      expect(env['SARK_GIVEN']).toBe('given');
      expect(env['PATH']).toBe(process.env['PATH']);

      const inheriting = await StdioTransport.start({ ...scripted(), inheritEnv: true });
      started.push(inheriting);
      expect((await inheriting.sendRequest<Record<string, string>>('env'))['SARK_TEST_PARENT_SECRET']).toBe(
        'parent-only',
      );
    } finally {
      delete process.env['SARK_TEST_PARENT_SECRET'];
    }
  });

  it.each([
    ['a NUL in a secret value', { env: { API_TOKEN: 'sk-live-9f8e7d\0x' } }, 'env."API_TOKEN": must be a string'],
    ['a name with "="', { env: { 'A=B': 'x' } }, 'env: "A=B" is not a variable name'],
    ['a value that is not a string', { env: { PORT: 8080 } }, 'env."PORT": must be a string'],
    ['a NUL in an argument', { args: ['--token=sk-live-9f8e7d\0x'] }, 'args[0]: must be a string without NUL'],
    ['args that are not an array', { args: '--token=sk-live-9f8e7d' }, 'args: must be an array of strings'],
    ['a NUL in cwd', { cwd: '/tmp\0x' }, 'cwd: must be a string without NUL'],
    // No colon in this one: redaction reads "secretEnv: …" as a secret-named field and hides what follows.
    ['secretEnv that is not a list of names', { secretEnv: 'API_TOKEN' }, 'secretEnv: must be an array'],
  ])('%s is a GatewayConfigError naming the option, never its value; nothing is spawned', async (_case, bad, why) => {
    const options = { ...scripted(), ...bad } as unknown as Parameters<typeof StdioTransport.start>[0];
    const error = await StdioTransport.start(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayConfigError);
    expect((error as Error).message).toContain(why);
    expect(JSON.stringify((error as GatewayConfigError).toJSON())).not.toContain('sk-live-9f8e7d');
    expect(redact('sk-live-9f8e7d\0x')).toBe('sk-live-9f8e7d\0x'); // nothing was held (and left held)
  });
});

describe('options through LocalServer and its manager', () => {
  it('a missing command or bad args are a GatewayConfigError before an id is derived or anything spawned', async () => {
    const { LocalServer, LocalServerManager } = await import('@sark/transport-stdio');
    const manager = new LocalServerManager();
    for (const bad of [{}, { command: 'node', args: 'x' }, null]) {
      await expect(manager.connect(bad as never)).rejects.toBeInstanceOf(GatewayConfigError);
      await expect(LocalServer.start(bad as never)).rejects.toBeInstanceOf(GatewayConfigError);
    }
    await manager.close();
  });
});
