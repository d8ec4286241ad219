import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Pool as IndexPool } from 'undici';
import Pool from 'undici/lib/dispatcher/pool.js';

// The Node client loads undici's Pool module alone, not undici's index (fetch, WebSocket, EventSource, cache…).

it('the Pool it loads is the class undici exports', () => {
  expect(Pool).toBe(IndexPool);
});

it('importing the built Node entry loads the Pool and not undici’s index', async () => {
  const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const probe = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(entry)});
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({
      pool: loaded.some((file) => file.endsWith('/undici/lib/dispatcher/pool.js')),
      index: loaded.some((file) => file.endsWith('/undici/index.js')),
    }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe]);
  expect(JSON.parse(stdout)).toEqual({ pool: true, index: false });
});
