// A consumer with only @sark/core, @sark/transport-http and @sark/transport-sse installed.
import { GatewayError } from '@sark/core';
import { HttpTransport } from '@sark/transport-http';
import { SseTransport } from '@sark/transport-sse';

const [gatewayUrl, apiKey] = process.argv.slice(2);
const http = new HttpTransport({ gatewayUrl, apiKey });
const sse = new SseTransport({ gatewayUrl, apiKey });
try {
  const servers = await http.listServers({});
  const invoke = () => http.invoke({ serverName: 'synthetic-00000', toolName: 'tool_0', parameters: { value: 'hi' } });
  await invoke();
  const events = sse.stream({ eventTypes: ['tool_invoked'] })[Symbol.asyncIterator]();
  const first = events.next();
  let received = null;
  for (let i = 0; i < 50 && !received; i++) {
    await invoke();
    received = await Promise.race([first, new Promise((resolve) => setTimeout(() => resolve(null), 200))]);
  }
  await events.return?.();
  if (!received || received.done) throw new GatewayError({ message: 'no event received' });
  console.log(`servers ${servers.length}, event ${received.value.eventType}`);
} finally {
  await http.close();
  await sse.close();
}
