import { expect, inject, it } from 'vitest';
import { GatewayClient, TransportNotAvailableError } from '../src/index.browser';

// Runs in Node and in the edge-runtime environment: the browser/edge entry over fetch, against a real dev gateway.
it('the browser/edge client discovers, invokes, streams and reports over fetch', async () => {
  const client = new GatewayClient({
    gatewayUrl: inject('devGatewayUrl'),
    apiKey: 'edge-test-key',
    retry: { initialDelayMs: 10 },
  });
  const servers = await client.listAllServers({ pageSize: 2 });
  expect(servers.map((s) => s.serverName)).toEqual([
    'synthetic-00000',
    'synthetic-00001',
    'synthetic-00002',
    'synthetic-00003',
    'synthetic-00004',
  ]);
  await expect(client.getServerInfo('synthetic-00003')).resolves.toMatchObject({ toolsCount: 3 });
  const stream = client.streamEvents({ eventTypes: ['tool_invoked'] });
  const first = stream.next();
  await expect.poll(() => client.getMetrics().sse?.connectionsMade).toBe(1); // subscribed: the gateway sent its headers
  const result = (await client.invokeTool({
    serverName: 'synthetic-00001',
    toolName: 'tool_1',
    parameters: { value: 'edge' },
  })) as { status: string };
  expect(result.status).toBe('success');
  expect((await first).value?.json()).toMatchObject({ server_name: 'synthetic-00001', tool_name: 'tool_1' });
  await stream.return?.();
  const health = await client.healthCheck();
  expect(health.status).toBe('healthy');
  expect(client.getMetrics().activeTransports).toEqual(['http', 'sse']);
  await client.close();
});

it('connectLocalServer is refused clearly: local servers need Node', async () => {
  const client = new GatewayClient({ gatewayUrl: inject('devGatewayUrl') });
  const error = await client.connectLocalServer({ command: 'node' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TransportNotAvailableError);
  expect((error as Error).message).toContain('need Node.js');
  await client.close();
});
