import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the browser entry bundles without undici or any node: module', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.browser.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['@sark/core'],
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((input) => input.endsWith('fetch-client.ts'))).toBe(true);
  expect(inputs.filter((input) => input.includes('undici') || input.startsWith('node:'))).toEqual([]);
  expect(result.outputFiles[0]?.text ?? '').not.toMatch(/["'](node:[a-z_]+|undici)["']/);
});
