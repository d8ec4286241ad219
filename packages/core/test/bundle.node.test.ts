import { expect, it } from 'vitest';
import { bundleForBrowser } from '@sark/test-support/browser-bundle';

it('a browser bundle of @sark/core pulls in no node: module', async () => {
  const { inputs, code } = await bundleForBrowser(new URL('../src/index.ts', import.meta.url));
  expect(inputs.some((input) => input.includes('src/errors.ts'))).toBe(true);
  expect(inputs.filter((input) => input.startsWith('node:') || input.includes('node_modules'))).toEqual([]);
  expect(code).toContain('GatewayHttpError');
  expect(code).not.toMatch(/["']node:/);
});
