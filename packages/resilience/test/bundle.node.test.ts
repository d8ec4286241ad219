import { expect, it } from 'vitest';
import { bundleForBrowser } from '@sark/test-support/browser-bundle';

it('a browser bundle uses opossum’s self-contained build and pulls in no node: or events module', async () => {
  const { inputs, code } = await bundleForBrowser(new URL('../src/index.ts', import.meta.url), ['@sark/core']);
  expect(inputs.some((input) => input.endsWith('opossum/dist/opossum.min.js'))).toBe(true);
  expect(inputs.some((input) => input.includes('opossum/lib/'))).toBe(false);
  expect(inputs.filter((input) => input.startsWith('node:') || /(^|\/)events(\/|$)/.test(input))).toEqual([]);
  expect(code).not.toMatch(/from\s*["'](node:|events["'])/);
});
