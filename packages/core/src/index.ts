// The public API of @sark/core: a deliberate, named list. Helpers shared between @sark packages are in
// `@sark/core/internal` (documented as unstable); everything else is not exported.
export { SENSITIVITY_LEVELS, TransportMode } from './models';
export type { GatewayEvent, InvokeResult, Page, SensitivityLevel, ServerInfo, ToolInfo, ToolParameter } from './models';
export {
  CircuitBreakerError,
  CircuitOpenError,
  ClientClosedError,
  ERROR_CLASSES,
  GatewayConfigError,
  GatewayError,
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  GatewayTimeoutError,
  JsonRpcError,
  UrlElicitationRequiredError,
  PermissionDeniedError,
  PermissionError,
  PolicyEvaluationError,
  ProcessExitedError,
  ProcessStartError,
  RetryExhaustedError,
  StdioTransportError,
  TimeoutError,
  TransportNotAvailableError,
} from './errors';
export type {
  CircuitBreakerErrorInit,
  GatewayErrorCode,
  GatewayConfigErrorInit,
  GatewayErrorInit,
  GatewayHttpErrorInit,
  GatewayProtocolErrorInit,
  JsonRpcErrorInit,
  UrlElicitation,
  UrlElicitationRequiredErrorInit,
  PermissionDeniedInit,
  ProcessExitedInit,
  ProcessStartErrorInit,
  RetryExhaustedErrorInit,
  TimeoutErrorInit,
  TransportNotAvailableInit,
} from './errors';
export { createGatewayEvent, parseServerInfo, parseServerPage, parseToolInfo, parseToolPage } from './parse';
export type { GatewayEventInit } from './parse';
export { REDACTED, isSensitiveName, redact, redactHeaders, redactUrl } from './redact';
export { holdSecret } from './secrets-in-use';
export { redactingLogger, silentLogger } from './logger';
export type { LogMethod, Logger } from './logger';
export { JsonRpcErrorCode } from './jsonrpc';
export type {
  JsonRpcErrorObject,
  JsonRpcFailure,
  JsonRpcId,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcSuccess,
} from './jsonrpc';
export type {
  AuthorizedRequest,
  Closeable,
  EventStreamTransport,
  GatewayRequestTransport,
  InvokeOptions,
  ListServersOptions,
  ListToolsOptions,
  LocalProcessTransport,
  OperationOptions,
  ProbeResult,
  ReconnectEvent,
  RefusedAnswer,
  RequestAuthorizer,
  RequestSendOptions,
  McpProgress,
  SignalOptions,
  StreamOptions,
} from './transport';
export { MAX_JSON_DEPTH, canonicalJson, jsonObjectSnapshot, jsonSnapshot } from './json-value';
export type { JsonObject, JsonValue } from './json-value';
export { MAX_PAGE_SIZE } from './pagination';
export type { OpenTelemetryApi, TelemetrySpan } from './telemetry';
