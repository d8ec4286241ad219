import type { Logger, TransportMode } from '@sark/core';
import type { PolicyEvaluator } from '@sark/opa';

/** Options of a `GatewayClient` (API.md). */
export interface GatewayClientOptions {
  /** Required for HTTP and SSE operations, not for stdio. */
  gatewayUrl?: string;
  /** Sent as `X-API-Key`. */
  apiKey?: string;
  /** Per attempt, for HTTP and OPA; the SSE idle timeout is twice this. Default 30 000. */
  timeoutMs?: number;
  /** HTTP pool size and the most concurrent SSE streams. Default 50. */
  maxConnections?: number;
  /** Default `TransportMode.AUTO`. */
  transportMode?: TransportMode;
  /** Asked before every `invokeTool`: an `OPAClient`, `localPolicy(...)` or any `PolicyEvaluator`. */
  opaClient?: PolicyEvaluator;
  /** Circuit breaker + retry around every HTTP operation. Default true. */
  enableErrorHandling?: boolean;
  circuitBreaker?: { failureThreshold?: number; resetTimeoutMs?: number; successThreshold?: number; halfOpenMaxCalls?: number };
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number; exponentialBase?: number; jitter?: boolean };
  cache?: { enabled?: boolean; ttlMs?: number; maxEntries?: number };
  /** pino-compatible; default silent. Everything logged is redacted. */
  logger?: Logger;
  /** Use this fetch for HTTP and SSE (tests, proxies, edge runtimes). */
  fetch?: typeof fetch;
}

/** Options of `connectLocalServer`. */
export interface ConnectLocalServerOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  /** Inherit the whole parent environment (default: a safe set plus `env`). */
  inheritEnv?: boolean;
  /** Names of `env` variables whose values are secrets besides those named like one (`*TOKEN*`, `*KEY*`, …). */
  secretEnv?: readonly string[];
  /** Default: derived from command, args and cwd. */
  serverId?: string;
  /** MCP handshake. Default true. */
  handshake?: boolean;
  /** Default 30 000. */
  requestTimeoutMs?: number;
  restart?: { maxRestarts?: number; backoffMs?: number };
  pingIntervalMs?: number;
}
