import { expect, it } from 'vitest';
import { bundleForBrowser } from '@sark/test-support/browser-bundle';

it('a browser bundle gets transport-http’s fetch client: no undici and no node: module', async () => {
  // Resolved like a web app's bundler would: @sark/transport-http through its "browser" export condition.
  const { inputs, code } = await bundleForBrowser(new URL('../src/index.ts', import.meta.url), ['@sark/core']);
  expect(inputs.some((input) => input.includes('transport-http/dist/index.browser.js'))).toBe(true);
  expect(inputs.filter((input) => input.includes('undici') || input.startsWith('node:'))).toEqual([]);
  expect(code).not.toMatch(/["'](node:[a-z_]+|undici)["']/);
});
