import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('a browser bundle uses opossum’s self-contained build and pulls in no node: or events module', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['@sark/core'],
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((input) => input.endsWith('opossum/dist/opossum.min.js'))).toBe(true);
  expect(inputs.some((input) => input.includes('opossum/lib/'))).toBe(false);
  expect(inputs.filter((input) => input.startsWith('node:') || /(^|\/)events(\/|$)/.test(input))).toEqual([]);
  expect(result.outputFiles[0]?.text ?? '').not.toMatch(/from\s*["'](node:|events["'])/);
});
