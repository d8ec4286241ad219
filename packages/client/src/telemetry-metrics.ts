import type { Telemetry } from '@sark/core/internal';
import type { CircuitBreaker } from '@sark/resilience';
import type { ClientTransports } from './client-transports';

/**
 * The facts `getMetrics()` reports, exported continuously: cache hits and misses, SSE reconnections and local
 * server restarts as counters read at collection time (free per operation), and breaker state changes as they happen.
 * Returns what stops it all (at `close()`: a closed client reports nothing more).
 */
export function exportClientMetrics(
  telemetry: Telemetry,
  transports: ClientTransports,
  breaker: CircuitBreaker | null,
): () => void {
  const stops = [
    telemetry.observeCounter('sark.client.cache.requests', 'HTTP response cache lookups, by result', () => {
      const http = transports.active.http?.getMetrics();
      if (!http) return [];
      return [
        [http.cacheHits, { 'sark.cache.result': 'hit' }],
        [http.cacheMisses, { 'sark.cache.result': 'miss' }],
      ];
    }),
    telemetry.observeCounter('sark.client.sse.reconnections', 'Event stream reconnections', () => {
      const sse = transports.active.sse?.getMetrics();
      return sse ? [[sse.reconnections, {}]] : [];
    }),
    telemetry.observeCounter('sark.client.local_server.restarts', 'Local MCP server restarts, by server', () => {
      const stdio = transports.active.stdio;
      if (!stdio) return [];
      return stdio
        .ids()
        .map((id) => [stdio.get(id)?.getMetrics().restarts ?? 0, { 'sark.local_server.id': id }] as const);
    }),
  ];
  if (breaker) {
    const changed = telemetry.eventCounter('sark.client.breaker.transitions', 'Circuit breaker state changes');
    // A breaker may be shared between clients: each client's listeners go when it closes.
    for (const state of ['open', 'half_open', 'closed'] as const) {
      stops.push(breaker.on(state, () => changed({ 'sark.breaker.state': state })));
    }
  }
  return () => {
    for (const stop of stops) stop();
  };
}
