// The small app every consumer runs, whatever the runtime: list the gateway's servers, invoke a tool, receive the
// event the invocation streams. `sark` is the imported @sark/gateway module. Returns a one-line summary; throws on
// any failure.
export async function exercise(sark, gatewayUrl, apiKey) {
  const client = new sark.GatewayClient({ gatewayUrl, apiKey });
  try {
    const servers = await client.listServers();
    if (!servers.some((server) => server.serverName === 'synthetic-00000')) throw new Error('no synthetic server');
    const invoke = () =>
      client.invokeTool({ serverName: 'synthetic-00000', toolName: 'tool_0', parameters: { value: 'hi' } });
    const result = await invoke();
    const events = client.streamEvents({ eventTypes: ['tool_invoked'] });
    // The stream connects on the first next(); invoke until its event arrives (each invocation emits one).
    const first = events.next();
    let received = null;
    const deadline = Date.now() + 10_000;
    while (!received && Date.now() < deadline) {
      await invoke();
      received = await Promise.race([first, new Promise((resolve) => setTimeout(() => resolve(null), 200))]);
    }
    await events.return?.();
    if (!received || received.done) throw new Error('no event received');
    const invoked = Object.keys(result).length > 0 ? 'ok' : 'empty';
    return `servers ${servers.length}, invoke ${invoked}, event ${received.value.eventType}`;
  } finally {
    await client.close();
  }
}
