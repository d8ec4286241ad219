// A consumer with only @sark/core, @sark/transport-http and @sark/transport-sse installed.
import { GatewayError } from '@sark/core';
import { HttpTransport } from '@sark/transport-http';
import { SseTransport } from '@sark/transport-sse';
import { firstEventWhile } from './first-event.mjs';

const [gatewayUrl, apiKey] = process.argv.slice(2);
const http = new HttpTransport({ gatewayUrl, apiKey });
const sse = new SseTransport({ gatewayUrl, apiKey });
try {
  const servers = await http.listServers({});
  const invoke = () => http.invoke({ serverName: 'synthetic-00000', toolName: 'tool_0', parameters: { value: 'hi' } });
  await invoke();
  const events = sse.stream({ eventTypes: ['tool_invoked'] })[Symbol.asyncIterator]();
  const event = await firstEventWhile(events, invoke);
  if (!event) throw new GatewayError({ message: 'no event received' });
  console.log(`servers ${servers.length}, event ${event.eventType}`);
} finally {
  await http.close();
  await sse.close();
}
