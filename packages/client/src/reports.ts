import type { TransportMode } from '@sark/core';
import type { RemoteServerHealth } from './remote-servers';

/** `healthCheck()` (API.md `HealthReport`). */
export interface HealthReport {
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  readonly http?: {
    readonly status: 'healthy' | 'unhealthy';
    readonly latencyMs: number;
    readonly cacheHitRate: number;
    readonly error?: string;
  };
  readonly sse?: { readonly status: string; readonly connectionState: string; readonly activeStreams: number };
  readonly stdio?: Readonly<
    Record<
      string,
      { readonly status: 'running' | 'stopped'; readonly pid: number | null; readonly responsive?: boolean }
    >
  >;
  readonly opa?: { readonly status: 'healthy' | 'unhealthy'; readonly latencyMs: number; readonly error?: string };
  /** Remote MCP servers by id: an MCP ping each. */
  readonly remote?: Readonly<Record<string, RemoteServerHealth>>;
  readonly errorHandler?: { readonly circuitBreaker: CircuitBreakerSnapshot };
}

/** The circuit breaker as `getMetrics()` and `healthCheck()` show it. */
export interface CircuitBreakerSnapshot {
  readonly state: 'closed' | 'open' | 'half_open';
  readonly failureCount: number;
  readonly successCount: number;
  readonly totalCalls: number;
  readonly totalFailures: number;
  readonly totalSuccesses: number;
  readonly failureRate: number;
  readonly stateChanges: number;
  readonly lastFailureTime: number | null;
}

/** `getMetrics()` (API.md `ClientMetrics`): a synchronous snapshot; rates are 0–1. */
export interface ClientMetrics {
  readonly transportMode: TransportMode;
  readonly activeTransports: readonly ('http' | 'sse' | 'stdio')[];
  readonly http?: {
    readonly cacheHitRate: number;
    readonly cacheHits: number;
    readonly cacheMisses: number;
    readonly cacheSize: number;
    readonly requests: number;
    readonly inFlight: number;
  };
  readonly sse?: {
    readonly eventsReceived: number;
    readonly connectionsMade: number;
    readonly reconnections: number;
    readonly errors: number;
    readonly activeStreams: number;
  };
  readonly stdioServersCount: number;
  /** Remote MCP servers connected (`connectRemoteServer`). */
  readonly remoteServersCount: number;
  readonly errorHandler?: {
    readonly circuitBreaker: CircuitBreakerSnapshot;
    readonly retry: { readonly maxAttempts: number; readonly initialDelayMs: number; readonly maxDelayMs: number };
    readonly defaultTimeoutMs: number;
  };
}
