import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('a browser bundle of @sark/core pulls in no node: module', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((input) => input.includes('src/errors.ts'))).toBe(true);
  expect(inputs.filter((input) => input.startsWith('node:') || input.includes('node_modules'))).toEqual([]);
  const code = result.outputFiles[0]?.text ?? '';
  expect(code).toContain('GatewayHttpError');
  expect(code).not.toMatch(/["']node:/);
});
