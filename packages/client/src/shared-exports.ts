// Everything an application needs besides @sark/core (re-exported by the entries), from one import.
export { CircuitBreaker, ErrorHandler, isBreakerFailure, isRetryableError, retry, withTimeout } from '@sark/resilience';
export type { CircuitBreakerMetrics, CircuitBreakerOptions, ErrorHandlerOptions, RetryOptions } from '@sark/resilience';
export { OPAClient, authorize, buildInvocationInput, localPolicy, sarkExamplePolicy } from '@sark/opa';
export type { Decision, InvocationRequest, LocalPolicyResult, OPAClientOptions, PolicyEvaluator, PolicyInput } from '@sark/opa';
export { HttpTransport } from '@sark/transport-http';
export type { HttpTransportOptions } from '@sark/transport-http';
export { SseTransport } from '@sark/transport-sse';
export type { SseTransportOptions } from '@sark/transport-sse';
export type { CallOptions, InvokeToolOptions } from './gateway-client';
export type { ConnectLocalServerOptions, GatewayClientOptions } from './options';
export type { CircuitBreakerSnapshot, ClientMetrics, HealthReport } from './reports';
