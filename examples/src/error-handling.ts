// Usage guide example 4 — error handling and recovery: retries, a circuit breaker that opens and recovers,
// timeouts, typed errors.
import { startDevGateway } from '@sark/dev-gateway';
import {
  CircuitBreakerError,
  GatewayClient,
  GatewayHttpError,
  RetryExhaustedError,
  TimeoutError,
  withTimeout,
} from '@sark/gateway';

// This example needs to break the gateway on purpose, so it always runs its own (synthetic servers, no processes).
await using gateway = await startDevGateway({ config: { syntheticServers: 3 } });
await using client = new GatewayClient({
  gatewayUrl: gateway.url,
  cache: { enabled: false },
  retry: { maxAttempts: 3, initialDelayMs: 50 },
  circuitBreaker: { failureThreshold: 3, resetTimeoutMs: 500, successThreshold: 1 },
});

gateway.setFaults({ failNext: 2, errorStatus: 503 });
const servers = await client.listServers();
console.log(
  `two 503s, then success after retries: ${servers.length} servers (${gateway.requests.get('GET /api/v1/servers')} ` +
    `requests)`,
);

try {
  await client.getServerInfo('does-not-exist');
} catch (error) {
  if (error instanceof GatewayHttpError) console.log(`not retried: HTTP ${error.status} ${error.body}`);
}

gateway.setFaults({ errorRate: 1, errorStatus: 503 });
for (let i = 1; i <= 4; i++) {
  try {
    await client.listServers();
  } catch (error) {
    if (error instanceof RetryExhaustedError)
      console.log(`operation ${i}: gave up after ${error.attempts} attempts (${(error.cause as Error).message})`);
    else if (error instanceof CircuitBreakerError)
      console.log(`operation ${i}: circuit open, retry after ${error.retryAfterMs} ms — no request sent`);
    else throw error;
  }
}

gateway.setFaults({});
await new Promise((resolve) => setTimeout(resolve, 600));
await client.listServers();
console.log(`recovered: breaker ${client.getMetrics().errorHandler?.circuitBreaker.state}`);

gateway.setFaults({ latencyMs: 500 });
try {
  await withTimeout((signal) => client.getServerInfo('synthetic-00000', { signal }), 100);
} catch (error) {
  if (error instanceof TimeoutError) console.log(`deadline: ${error.message}`);
}
gateway.setFaults({});
