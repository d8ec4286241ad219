import type { Logger, RequestAuthorizer, TransportMode } from '@sark/core';
import type { PolicyEvaluator } from '@sark/opa';
import type { GatewayDialect } from './gateway-api';
import type { ToolNameSplit } from './mcp-dialect';
import type { OpenTelemetryApi } from '@sark/core';
import type { CircuitBreaker, CircuitBreakerOptions, RetryPolicyOptions } from '@sark/resilience';
import type { ResponseCacheOptions } from '@sark/transport-http';
import type { RemoteServerOptions } from '@sark/transport-mcp-http';
import type { LocalServerOptions } from '@sark/transport-stdio';

/** Options of a `GatewayClient` (API.md). */
export interface GatewayClientOptions {
  /** Required for HTTP and SSE operations, not for stdio. With `dialect: 'mcp'`, the MCP endpoint itself. */
  gatewayUrl?: string | undefined;
  /**
   * The gateway's API: `'sark'` (the default), `'mcp-gateway-registry'`, `'mcp'` (one aggregated MCP endpoint), or
   * `'auto'` (asked once from the gateway's public `/health` and `/api/version`; see `client.dialect`).
   */
  dialect?: GatewayDialect | 'auto' | undefined;
  /**
   * Sent as `X-API-Key` (`'sark'`, `'mcp'`). With `'mcp-gateway-registry'` it is the registry's static key or a token
   * it minted: `Authorization: Bearer` on `/api/*`, `X-Authorization: Bearer` on its MCP paths — never `X-API-Key`.
   */
  apiKey?: string | undefined;
  /**
   * `'mcp-gateway-registry'`: per server path (`'/github'`), the backend server's own credential — the whole
   * `Authorization` value — sent with that server's MCP requests beside the gateway's `X-Authorization`.
   */
  backendCredentials?: Readonly<Record<string, string>> | undefined;
  /**
   * `'mcp'`: how a tool's name on the gateway splits into its server and its name — a separator (default `'__'`:
   * `github__create_issue`) or a function returning `{ serverName, toolName }` (null: the gateway's own tool).
   */
  toolNameSeparator?: ToolNameSplit | undefined;
  /**
   * OAuth (`@sark/oauth`'s `OAuthClient`) for the gateway's REST requests and its MCP endpoints
   * (`connectRemoteServer({ server })`, and `url`s on the gateway's origin unless they bring their own `auth`).
   */
  auth?: RequestAuthorizer | undefined;
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
  /**
   * Options of the client's own breaker, or a `CircuitBreaker` shared with other clients (`close()` leaves it running).
   */
  circuitBreaker?: CircuitBreakerOptions | CircuitBreaker | undefined;
  retry?: RetryPolicyOptions | undefined;
  /** The HTTP response cache of discovery calls. */
  cache?: ResponseCacheOptions | undefined;
  /** pino-compatible; default silent. Everything logged is redacted. */
  logger?: Logger | undefined;
  /** Use this fetch for HTTP and SSE (tests, proxies, edge runtimes). */
  fetch?: typeof fetch | undefined;
  /**
   * OpenTelemetry: pass the `@opentelemetry/api` module (`import * as otel from '@opentelemetry/api'`) to get a span
   * per operation (policy decision and each HTTP attempt as children), operation metrics, and `traceparent` on every
   * gateway request. Without it nothing is recorded.
   */
  telemetry?: OpenTelemetryApi | undefined;
}

/** Options of `connectLocalServer`: those of `LocalServer.start`, with the client's logger. */
export type ConnectLocalServerOptions = Omit<LocalServerOptions, 'logger'>;

/**
 * Options of `connectRemoteServer`: those of `RemoteServer.connect` (the client passes its `fetch` and logger), an
 * `id`, and either a `url` or the name of one of the gateway's `server`s (reached at `{gatewayUrl}/mcp/{server}`).
 */
export interface ConnectRemoteServerOptions extends Omit<RemoteServerOptions, 'url' | 'fetch' | 'logger'> {
  id: string;
  url?: string | undefined;
  server?: string | undefined;
}
