// The small app every consumer runs, whatever the runtime: list the gateway's servers, invoke a tool, receive the
// event the invocation streams. `sark` is the imported @sark/gateway module. Returns a one-line summary; throws on
// any failure.
import { firstEventWhile } from './first-event.mjs';

export async function exercise(sark, gatewayUrl, apiKey) {
  const client = new sark.GatewayClient({ gatewayUrl, apiKey });
  try {
    const servers = await client.listServers();
    if (!servers.some((server) => server.serverName === 'synthetic-00000')) throw new Error('no synthetic server');
    const invoke = () =>
      client.invokeTool({ serverName: 'synthetic-00000', toolName: 'tool_0', parameters: { value: 'hi' } });
    const result = await invoke();
    const event = await firstEventWhile(client.streamEvents({ eventTypes: ['tool_invoked'] }), invoke);
    if (!event) throw new Error('no event received');
    const invoked = Object.keys(result).length > 0 ? 'ok' : 'empty';
    return `servers ${servers.length}, invoke ${invoked}, event ${event.eventType}`;
  } finally {
    await client.close();
  }
}
