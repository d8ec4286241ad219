import type { Logger, TransportMode } from '@sark/core';
import type { PolicyEvaluator } from '@sark/opa';

/** Options of a `GatewayClient` (API.md). */
export interface GatewayClientOptions {
  /** Required for HTTP and SSE operations, not for stdio. */
  gatewayUrl?: string | undefined;
  /** Sent as `X-API-Key`. */
  apiKey?: string | undefined;
  /** Per attempt, for HTTP and OPA; the SSE idle timeout is twice this. Default 30 000. */
  timeoutMs?: number | undefined;
  /** HTTP pool size and the most concurrent SSE streams. Default 50. */
  maxConnections?: number | undefined;
  /** Default `TransportMode.AUTO`. */
  transportMode?: TransportMode | undefined;
  /** Asked before every `invokeTool`: an `OPAClient`, `localPolicy(...)` or any `PolicyEvaluator`. */
  opaClient?: PolicyEvaluator | undefined;
  /** Circuit breaker + retry around every HTTP operation. Default true. */
  enableErrorHandling?: boolean | undefined;
  circuitBreaker?: { failureThreshold?: number; resetTimeoutMs?: number; successThreshold?: number; halfOpenMaxCalls?: number } | undefined;
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number; exponentialBase?: number; jitter?: boolean } | undefined;
  cache?: { enabled?: boolean; ttlMs?: number; maxEntries?: number } | undefined;
  /** pino-compatible; default silent. Everything logged is redacted. */
  logger?: Logger | undefined;
  /** Use this fetch for HTTP and SSE (tests, proxies, edge runtimes). */
  fetch?: typeof fetch | undefined;
}

/** Options of `connectLocalServer`. */
export interface ConnectLocalServerOptions {
  command: string;
  args?: readonly string[] | undefined;
  cwd?: string | undefined;
  env?: Readonly<Record<string, string>> | undefined;
  /** Inherit the whole parent environment (default: a safe set plus `env`). */
  inheritEnv?: boolean | undefined;
  /** Names of `env` variables whose values are secrets besides those named like one (`*TOKEN*`, `*KEY*`, …). */
  secretEnv?: readonly string[] | undefined;
  /** Default: derived from command, args and cwd. */
  serverId?: string | undefined;
  /** MCP handshake. Default true. */
  handshake?: boolean | undefined;
  /** Default 30 000. */
  requestTimeoutMs?: number | undefined;
  restart?: { maxRestarts?: number; backoffMs?: number } | undefined;
  pingIntervalMs?: number | undefined;
}
