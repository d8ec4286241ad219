import { expect, it } from 'vitest';
import { bundleForBrowser } from '@sark/test-support/browser-bundle';

it('a browser bundle of the browser entry has no node: module, no undici and no stdio transport', async () => {
  // Resolved like a web app's bundler would: through the workspace packages' "browser" export conditions.
  const { inputs, code } = await bundleForBrowser(new URL('../src/index.browser.ts', import.meta.url));
  expect(inputs.some((input) => input.includes('transport-http/dist/index.browser.js'))).toBe(true);
  expect(inputs.some((input) => input.includes('opossum.min.js'))).toBe(true);
  expect(
    inputs.filter(
      (input) => input.startsWith('node:') || input.includes('undici') || input.includes('transport-stdio'),
    ),
  ).toEqual([]);
  expect(code).not.toMatch(/["'](node:[a-z_]+|undici|@sark\/transport-stdio)["']/);
});
