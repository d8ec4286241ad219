import { inject } from 'vitest';
import type { ConnectionRecord, SseScenario } from './sse-stub';

export async function sseScenario(spec: SseScenario) {
  const url = inject('sseStubUrl');
  const { id } = (await (await fetch(`${url}/__scenario`, { method: 'POST', body: JSON.stringify(spec) })).json()) as {
    id: string;
  };
  return {
    gatewayUrl: `${url}/s/${id}`,
    async connections(): Promise<ConnectionRecord[]> {
      return (await (await fetch(`${url}/__connections/${id}`)).json()) as ConnectionRecord[];
    },
  };
}
