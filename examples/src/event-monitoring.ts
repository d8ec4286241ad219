// Usage guide example 2 — event monitoring: follow the gateway's events, filtered by type, and stop cleanly.
import { GatewayClient } from '@sark/gateway';
import { runAgainstGateway } from './dev-setup';

await runAgainstGateway(async (gatewayUrl, apiKey) => {
  await using client = new GatewayClient({ gatewayUrl, apiKey });
  const controller = new AbortController();
  const seen: string[] = [];

  const monitor = (async () => {
    try {
      for await (const event of client.streamEvents({ eventTypes: ['tool_invoked'], signal: controller.signal })) {
        const data = event.json<{ server_name: string; tool_name: string; status: string }>();
        seen.push(`${data.server_name}/${data.tool_name}`);
        console.log(
          `event #${event.eventId}: ${event.eventType} ${data.server_name}/${data.tool_name} → ${data.status}`,
        );
        if (seen.length === 3) break;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();

  // Once the stream is connected it hears every call below (waiting at most 5 s for that).
  for (let waited = 0; !client.getMetrics().sse?.connectionsMade && waited < 5000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const message of ['one', 'two', 'three']) {
    await client.invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message } });
  }
  const timeout = setTimeout(() => controller.abort(new Error('no events within 10 s')), 10_000);
  await monitor;
  clearTimeout(timeout);
  console.log(`monitored ${seen.length} invocations; stream metrics: ${JSON.stringify(client.getMetrics().sse)}`);
});
