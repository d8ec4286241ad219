import { expect, it } from 'vitest';
import { bundleForBrowser } from '@sark/test-support/browser-bundle';

it('the browser entry bundles without undici or any node: module', async () => {
  const { inputs, code } = await bundleForBrowser(new URL('../src/index.browser.ts', import.meta.url), ['@sark/core']);
  expect(inputs.some((input) => input.endsWith('fetch-client.ts'))).toBe(true);
  expect(inputs.filter((input) => input.includes('undici') || input.startsWith('node:'))).toEqual([]);
  expect(code).not.toMatch(/["'](node:[a-z_]+|undici)["']/);
});
