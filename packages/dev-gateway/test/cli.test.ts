import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CRASHY } from './helpers';

// The CLI is tested as users run it: the built bin (the README's test command builds first).
const CLI = fileURLToPath(new URL('../bin/sark-dev-gateway.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sark-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (pnpm build)`);
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });
}

function configFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('sark-dev-gateway CLI', () => {
  it('--help', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage:');
    expect(result.stdout).toContain('--config');
  });

  it('no --config is a usage error', () => {
    const result = run([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--config is required');
  });

  it('a file that is not JSON', () => {
    const result = run(['--config', configFile('bad.json', '{ servers: ')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot read config .*bad\.json/);
  });

  it('an invalid config names the field and the server', () => {
    const file = configFile(
      'invalid.json',
      JSON.stringify({
        servers: [
          { name: 'ok', command: 'x' },
          { name: 'memory', command: '' },
        ],
      }),
    );
    const result = run(['--config', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `invalid config ${file}: servers[1] ("memory").command: expected a non-empty string`,
    );
  });

  it('a bad port', () => {
    expect(run(['--config', 'x.json', '--port', 'eighty']).stderr).toContain('--port must be a port number');
  });

  it('starts, serves, and on SIGTERM stops with its MCP servers', async () => {
    const file = configFile(
      'good.json',
      JSON.stringify({ servers: [{ name: 'crashy', command: process.execPath, args: [CRASHY] }] }),
    );
    const child = spawn(process.execPath, [CLI, '--config', file, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await expect.poll(() => /listening on (http:\/\/\S+)/.exec(out)?.[1]).toBeTruthy();
    const url = /listening on (http:\/\/\S+)/.exec(out)?.[1] as string;
    expect(out).toContain('✓ crashy: 2 tools');
    const body = (await (await fetch(`${url}/api/v1/servers`)).json()) as { total: number };
    expect(body.total).toBe(1);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
