// @sark/core/internal: helpers shared between the @sark packages. Documented, but UNSTABLE: names and shapes may
// change in any release, without a major version. Applications should not import from here.
export { onAbort } from './abort-fanout';
export { BACKOFF_DEFAULTS, JITTER_RATIO, backoffDelay, checkBackoffOptions } from './backoff';
export type { BackoffOptions } from './backoff';
export { ERROR_BODY_READ_BYTES, readBodyExcerpt, readBodyPrefix, utf8Text } from './read-body';
export type { BodyExcerpt, BodyPrefix } from './read-body';
export { credentialFingerprint } from './credential-fingerprint';
export { checkedPath, parseGatewayUrl, pathSegment, queryString, requireName } from './gateway-url';
export {
  MAX_ECHOED_HEADER_CHARS,
  addCheckedHeaders,
  checkHeaderName,
  checkHeaderValue,
  holdSecretHeaders,
  isEchoableHeaderValue,
} from './header-checks';
export type { GatewayBase } from './gateway-url';
export {
  checkBoolean,
  checkAuthorizer,
  checkFunction,
  checkInteger,
  checkNonNegative,
  checkObject,
  checkOptionsObject,
  checkPositive,
  checkSignal,
  checkString,
} from './option-checks';
export type { Resolved } from './option-checks';
export { evictOldest } from './evict-oldest';
export { checkLogger } from './logger';
export { shownValue } from './shown-value';
export { setOwn } from './own-property';
export { DEFAULT_PAGING_LIMITS, PAGE_CONCURRENCY, effectiveLimit, iteratePages, loadAllPages } from './pagination';
export type { PageLoader, PagingLimits } from './pagination';
export { parseJson } from './parse';
export { parametersFromSchema, sensitiveParameterNames } from './tool-schema';
export { redactCut, redactedExcerpt } from './redact';
export type { CutEnds } from './redact';
export { MAX_REDIRECTS, redirectStep } from './redirect';
export type { RedirectStep, RedirectedRequest } from './redirect';
export { checkReconnectOptions, reconnectDelay } from './reconnect-delay';
export type { ReconnectOptions, ReconnectSettings, ReconnectState } from './reconnect-delay';
export { RequestScope } from './request-scope';
export { parseRetryAfter } from './retry-after';
export { MAX_TIMER_MS, clampTimerMs, delay } from './timers';
export type { StopDelay } from './timers';
export {
  fieldPath,
  isWireObject,
  readArray,
  readCount,
  readDate,
  readObject,
  readOptionalBoolean,
  readOptionalString,
  readString,
  readStringArray,
  wireFail,
} from './wire-reader';
export type { WireObject } from './wire-reader';
export { Telemetry, errorType } from './telemetry';
export type { OpenSpan } from './telemetry';
