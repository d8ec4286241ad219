import { afterEach } from 'vitest';
import type { OPAClientCore, OPAClientOptions } from '../../src/opa-client';

/** True in the edge-runtime project, where the browser entry (fetch) is under test; else the Node entry (undici). */
export const inEdge = typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'string';

const open: OPAClientCore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** An OPAClient of the entry this runtime would load; closed after the test. */
export async function openClient(options: OPAClientOptions): Promise<OPAClientCore> {
  const client = inEdge ? new (await import('../../src/index.browser')).OPAClient(options) : new (await import('../../src/index')).OPAClient(options);
  open.push(client);
  return client;
}
