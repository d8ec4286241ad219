import { inject } from 'vitest';
import type { RecordedRequest, StubScenario } from './stub-gateway';

/** Registers a scenario with the stub gateway; returns its gatewayUrl and a way to read what the stub saw. */
export async function scenario(spec: StubScenario = {}) {
  const stubUrl = inject('stubUrl');
  const response = await fetch(`${stubUrl}/__scenario`, { method: 'POST', body: JSON.stringify(spec) });
  const { id } = (await response.json()) as { id: string };
  return {
    gatewayUrl: `${stubUrl}/s/${id}`,
    stubUrl,
    async requests(): Promise<RecordedRequest[]> {
      return (await (await fetch(`${stubUrl}/__requests/${id}`)).json()) as RecordedRequest[];
    },
  };
}
