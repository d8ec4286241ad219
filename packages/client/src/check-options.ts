import {
  checkAuthorizer,
  checkFunction,
  checkHeaderValue,
  checkInteger,
  checkOptionsObject,
  checkPositive,
  parseGatewayUrl,
} from '@sark/core/internal';
import { GatewayConfigError } from '@sark/core';
import { checkCacheOptions } from '@sark/transport-http';
import { GATEWAY_DIALECTS } from './gateway-api';
import { callerPath } from './registry-wire';
import type { GatewayClientOptions } from './options';

/**
 * Checks every option of a `GatewayClient` when it is made, so a bad value is a `GatewayConfigError` that names the
 * option at once — never a raw `TypeError`, a `RangeError` at the first call, or a value silently accepted. (The
 * retry and circuit-breaker options are checked by the error handler the constructor builds, the logger by
 * `redactingLogger`.)
 */
export function checkClientOptions(options: GatewayClientOptions): void {
  if (options.gatewayUrl !== undefined) parseGatewayUrl(options.gatewayUrl);
  if (options.apiKey !== undefined) checkHeaderValue('X-API-Key', options.apiKey);
  if (options.timeoutMs !== undefined) checkPositive(options.timeoutMs, 'timeoutMs');
  if (options.maxConnections !== undefined) checkInteger(options.maxConnections, 'maxConnections', 1);
  if (options.cache !== undefined) checkCacheOptions(options.cache);
  if (options.retry !== undefined) checkOptionsObject(options.retry, 'retry');
  if (options.circuitBreaker !== undefined) checkOptionsObject(options.circuitBreaker, 'circuitBreaker');
  if (options.fetch !== undefined) checkFunction(options.fetch, 'fetch');
  checkAuthorizer(options.auth);
  if (options.dialect !== undefined && !GATEWAY_DIALECTS.includes(options.dialect)) {
    throw new GatewayConfigError({
      option: 'dialect',
      message: `${JSON.stringify(String(options.dialect).slice(0, 40))} is not one of ${GATEWAY_DIALECTS.join(', ')}`,
    });
  }
  if (options.backendCredentials !== undefined) {
    for (const [path, value] of Object.entries(checkOptionsObject(options.backendCredentials, 'backendCredentials'))) {
      callerPath(path, 'backendCredentials');
      checkHeaderValue('Authorization', value);
    }
  }
  if (options.toolNameSeparator !== undefined && typeof options.toolNameSeparator !== 'function') {
    if (typeof options.toolNameSeparator !== 'string' || options.toolNameSeparator === '') {
      throw new GatewayConfigError({
        option: 'toolNameSeparator',
        message: 'expected a non-empty string or a function (prefixedName) => { serverName, toolName } | null',
      });
    }
  }
  if (options.opaClient !== undefined)
    checkFunction((options.opaClient as { evaluate?: unknown } | null)?.evaluate, 'opaClient.evaluate');
}
