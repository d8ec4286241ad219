// Type-checked with lib ES2022 + DOM, no @types/node, skipLibCheck false: nothing the packages declare may need Node.
import { GatewayError } from '@sark/core';
import { GatewayClient } from '@sark/gateway';
import { HttpTransport } from '@sark/transport-http';
import { SseTransport } from '@sark/transport-sse';

const client = new GatewayClient({ gatewayUrl: location.origin });
const http = new HttpTransport({ gatewayUrl: location.origin });
const sse = new SseTransport({ gatewayUrl: location.origin });
for await (const event of client.streamEvents()) document.title = event.eventType;
export { GatewayError, http, sse };
