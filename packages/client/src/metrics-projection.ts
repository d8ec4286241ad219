import type { CircuitBreakerMetrics } from '@sark/resilience';
import type { ClientResilience } from './client-resilience';
import type { ClientTransports } from './client-transports';
import type { CircuitBreakerSnapshot, ClientMetrics } from './reports';

/** The breaker's figures as `getMetrics()` and `healthCheck()` show them (API.md). */
export function breakerSnapshot(metrics: CircuitBreakerMetrics): CircuitBreakerSnapshot {
  const { totalRejections: _notInTheApiShape, ...snapshot } = metrics;
  return snapshot;
}

/** `getMetrics()`: the transports' counters and the breaker's in the API.md `ClientMetrics` shape. */
export function projectMetrics(
  transports: ClientTransports,
  resilience: ClientResilience,
  timeoutMs: number,
): ClientMetrics {
  const { http, sse, stdio } = transports.active;
  const metrics: { -readonly [K in keyof ClientMetrics]: ClientMetrics[K] } = {
    transportMode: transports.mode,
    activeTransports: [
      ...(http ? ['http' as const] : []),
      ...(sse ? ['sse' as const] : []),
      ...(stdio ? ['stdio' as const] : []),
    ],
    stdioServersCount: stdio?.size ?? 0,
    remoteServersCount: transports.active.remote?.size ?? 0,
  };
  if (http) {
    const m = http.getMetrics();
    metrics.http = {
      cacheHitRate: m.cacheHitRate,
      cacheHits: m.cacheHits,
      cacheMisses: m.cacheMisses,
      cacheSize: m.cacheSize,
      requests: m.requests,
      inFlight: m.inFlight,
    };
  }
  if (sse) {
    const m = sse.getMetrics();
    metrics.sse = {
      eventsReceived: m.eventsReceived,
      connectionsMade: m.connectionsMade,
      reconnections: m.reconnections,
      errors: m.errors,
      activeStreams: m.activeStreams,
    };
  }
  const { breaker, retry } = resilience;
  if (breaker && retry) {
    const { maxAttempts, initialDelayMs, maxDelayMs } = retry.settings;
    metrics.errorHandler = {
      circuitBreaker: breakerSnapshot(breaker.getMetrics()),
      retry: { maxAttempts, initialDelayMs, maxDelayMs },
      defaultTimeoutMs: timeoutMs,
    };
  }
  return metrics;
}
