import { GatewayConfigError } from './errors';
import { redactUrl } from './redact';

/** A validated gateway base URL, split the way both HTTP stacks need it. */
export interface GatewayBase {
  /** `scheme://host:port`. */
  readonly origin: string;
  /** Path prefix without a trailing `/` (often empty). */
  readonly basePath: string;
}

/** Validates `gatewayUrl` (http or https, no userinfo, no query or fragment) and drops a trailing `/`. */
export function parseGatewayUrl(gatewayUrl: string, name = 'gatewayUrl'): GatewayBase {
  if (typeof gatewayUrl !== 'string')
    throw new GatewayConfigError({
      option: name,
      message: `must be an http(s) URL string, got ${gatewayUrl === null ? 'null' : typeof gatewayUrl}`,
    });
  let url: URL;
  try {
    url = new URL(gatewayUrl);
  } catch {
    throw new GatewayConfigError({ option: name, message: `"${redactUrl(gatewayUrl)}" is not an absolute URL` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayConfigError({ option: name, message: `only http and https are supported, not ${url.protocol}` });
  }
  if (url.username || url.password) {
    throw new GatewayConfigError({
      option: name,
      message: 'credentials in the URL are not allowed; use apiKey or userToken',
    });
  }
  if (url.search || url.hash)
    throw new GatewayConfigError({ option: name, message: 'must not carry a query or fragment' });
  return Object.freeze({ origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') });
}

/**
 * One path segment for a server name: percent-encoded, so `/`, `?`, `#`, `%` and control characters can never
 * change the path; `.` and `..` (which URL parsers resolve) and the empty name are refused.
 */
export function pathSegment(name: string, field: string): string {
  if (typeof name !== 'string' || name === '')
    throw new GatewayConfigError({ option: field, message: 'expected a non-empty string' });
  if (name === '.' || name === '..')
    throw new GatewayConfigError({ option: field, message: `"${name}" is not a valid name` });
  return encodeURIComponent(name);
}

/** `value` when it is a non-empty string (a server or tool name); otherwise a `GatewayConfigError` naming `field`. */
export function requireName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new GatewayConfigError({ option: field, message: 'expected a non-empty string' });
  return value;
}

/** `?a=1&b=2` from the defined entries, in the given order. */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}
