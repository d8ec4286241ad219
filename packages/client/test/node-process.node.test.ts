import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DevGateway } from '@sark/dev-gateway';
import { API_KEY, everythingArgs, startTestGateway } from './helpers';

let gw: DevGateway;
beforeAll(async () => {
  gw = await startTestGateway();
}, 60_000);
afterAll(() => gw.close());

it('after close() the Node process exits on its own (built package, every transport used)', async () => {
  const script = fileURLToPath(new URL('./fixtures/close-and-exit.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, gw.url, API_KEY, everythingArgs()[0] as string], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(-1);
    }, 20_000);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  expect(out).toContain('closed');
  expect(code).toBe(0);
  expect(Date.now() - started).toBeLessThan(20_000);
}, 30_000);
