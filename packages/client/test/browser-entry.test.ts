import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DevGateway } from '@sark/dev-gateway';
import { GatewayClient, TransportNotAvailableError } from '../src/index.browser';
import { bundleForBrowser } from '../../../test-support/browser-bundle';
import { API_KEY, startTestGateway } from './helpers';

let gw: DevGateway;
beforeAll(async () => {
  gw = await startTestGateway();
}, 60_000);
afterAll(() => gw.close());

it('the browser/edge client speaks HTTP and SSE through fetch and refuses local servers clearly', async () => {
  const client = new GatewayClient({ gatewayUrl: gw.url, apiKey: API_KEY, fetch: globalThis.fetch });
  await expect(client.getServerInfo('everything')).resolves.toMatchObject({ serverName: 'everything' });
  const error = await client.connectLocalServer({ command: 'node' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TransportNotAvailableError);
  expect((error as Error).message).toContain('need Node.js');
  await client.close();
});

it('a browser bundle of the browser entry has no node: module, no undici and no stdio transport', async () => {
  // Resolved like a web app's bundler would: through the workspace packages' "browser" export conditions.
  const { inputs, code } = await bundleForBrowser(new URL('../src/index.browser.ts', import.meta.url));
  expect(inputs.some((input) => input.includes('transport-http/dist/index.browser.js'))).toBe(true);
  expect(inputs.some((input) => input.includes('opossum.min.js'))).toBe(true);
  expect(inputs.filter((input) => input.startsWith('node:') || input.includes('undici') || input.includes('transport-stdio'))).toEqual([]);
  expect(code).not.toMatch(/["'](node:[a-z_]+|undici|@sark\/transport-stdio)["']/);
});
