import { expect, it } from 'vitest';
import { bundleForBrowser } from '@sark/test-support/browser-bundle';

it('a browser bundle of @sark/transport-sse pulls in no node: module', async () => {
  const { inputs, code } = await bundleForBrowser(new URL('../src/index.ts', import.meta.url), ['@sark/core']);
  expect(inputs.some((input) => input.includes('eventsource-parser'))).toBe(true);
  expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
  expect(code).not.toMatch(/["']node:/);
});
