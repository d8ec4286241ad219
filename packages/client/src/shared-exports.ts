// @sark/core's public API, re-exported by name (an app needs one import).
export {
  canonicalJson,
  CircuitBreakerError,
  CircuitOpenError,
  ClientClosedError,
  createGatewayEvent,
  ERROR_CLASSES,
  GatewayConfigError,
  GatewayError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  GatewayTimeoutError,
  holdSecret,
  isSensitiveName,
  jsonObjectSnapshot,
  JsonRpcError,
  JsonRpcErrorCode,
  jsonSnapshot,
  MAX_JSON_DEPTH,
  MAX_PAGE_SIZE,
  parseServerInfo,
  parseServerPage,
  parseToolInfo,
  parseToolPage,
  PermissionDeniedError,
  PermissionError,
  PolicyEvaluationError,
  ProcessExitedError,
  ProcessStartError,
  redact,
  REDACTED,
  redactHeaders,
  redactingLogger,
  redactUrl,
  RetryExhaustedError,
  SENSITIVITY_LEVELS,
  silentLogger,
  StdioTransportError,
  TimeoutError,
  TransportMode,
  TransportNotAvailableError,
} from '@sark/core';
export type {
  CircuitBreakerErrorInit,
  Closeable,
  EventStreamTransport,
  GatewayErrorCode,
  GatewayErrorInit,
  GatewayEvent,
  GatewayEventInit,
  GatewayHttpErrorInit,
  GatewayProtocolErrorInit,
  GatewayRequestTransport,
  InvokeOptions,
  InvokeResult,
  JsonObject,
  JsonRpcErrorInit,
  JsonRpcErrorObject,
  JsonRpcFailure,
  JsonRpcId,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcSuccess,
  JsonValue,
  ListServersOptions,
  ListToolsOptions,
  LocalProcessTransport,
  Logger,
  LogMethod,
  OperationOptions,
  Page,
  PermissionDeniedInit,
  ProbeResult,
  ProcessExitedInit,
  ProcessStartErrorInit,
  RequestSendOptions,
  OpenTelemetryApi,
  TelemetrySpan,
  McpProgress,
  RetryExhaustedErrorInit,
  SensitivityLevel,
  ServerInfo,
  SignalOptions,
  StreamOptions,
  TimeoutErrorInit,
  ToolInfo,
  ToolParameter,
  TransportNotAvailableInit,
} from '@sark/core';
// Everything an application needs besides @sark/core (re-exported by the entries), from one import.
export {
  BREAKER_DEFAULTS,
  CircuitBreaker,
  ErrorHandler,
  RETRY_DEFAULTS,
  RetryPolicy,
  TimeoutPolicy,
  isBreakerFailure,
  isRetryableError,
  withTimeout,
  wrap,
} from '@sark/resilience';
export type {
  CircuitBreakerMetrics,
  CircuitBreakerOptions,
  ErrorHandlerOptions,
  Policy,
  PolicyContext,
  RetryPolicyOptions,
  TimeoutPolicyOptions,
} from '@sark/resilience';
export { OPAClient, authorize, buildInvocationInput, localPolicy, sarkExamplePolicy } from '@sark/opa';
export type {
  Decision,
  InvocationRequest,
  LocalPolicyResult,
  OPAClientOptions,
  PolicyEvaluator,
  PolicyInput,
} from '@sark/opa';
export { HttpTransport } from '@sark/transport-http';
export type { HttpTransportOptions } from '@sark/transport-http';
export { RemoteServer } from '@sark/transport-mcp-http';
export type {
  McpCallToolResult,
  McpClientHandlers,
  McpRoot,
  McpServerInfo,
  McpTool,
  RemoteServerOptions,
} from '@sark/transport-mcp-http';
export { SseTransport } from '@sark/transport-sse';
export type { SseTransportOptions } from '@sark/transport-sse';
export type { CallOptions, InvokeToolOptions } from './gateway-client';
export { CLIENT_DEFAULTS } from './client-defaults';
export type { ConnectLocalServerOptions, ConnectRemoteServerOptions, GatewayClientOptions } from './options';
export type { RemoteServerHealth } from './remote-servers';
export { RegistryCatalog } from './registry-catalog';
export type { RegistryCatalogOptions, RegistryPage, RegistryRemote, RegistryServerEntry } from './registry-catalog';

export type { CircuitBreakerSnapshot, ClientMetrics, HealthReport } from './reports';
export { bearerToken } from './bearer-token';
export type { GatewayDialect } from './gateway-api';
export type { ToolNameSplit } from './mcp-dialect';
export type { RegistryIdentity } from './registry-wire';
