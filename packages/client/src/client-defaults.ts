import { TransportMode } from '@sark/core';

/** The defaults of `GatewayClient` options (API.md); the resilience and cache defaults live in their own packages. */
export const CLIENT_DEFAULTS = /* @__PURE__ */ Object.freeze({
  /** Per attempt, for HTTP and OPA; the SSE idle timeout is twice this. */
  timeoutMs: 30_000,
  /** HTTP pool size and the most concurrent SSE streams. */
  maxConnections: 50,
  transportMode: TransportMode.AUTO,
});
