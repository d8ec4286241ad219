import { afterEach } from 'vitest';
import { OPAClient, type OPAClientOptions } from '@sark/opa';

/** True in the edge-runtime project, where transport-http's browser entry (fetch) is under test; else undici. */
export const inEdge = typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'string';

const open: OPAClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** An OPAClient with the HTTP client this runtime would load; closed after the test. */
export async function openClient(options: OPAClientOptions): Promise<OPAClient> {
  const client = new OPAClient(options);
  open.push(client);
  return client;
}
