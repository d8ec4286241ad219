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

/** A path segment of {@link checkedPath}: unreserved characters and sub-delims; no `%`, `/`, `?`, `#` or `\`. */
const PATH_SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;

/**
 * `path` when it is a path below a base URL that cannot leave it: starts with `/`, no empty, `.` or `..` segment, no
 * percent-encoding (which a server would decode into one of those), nothing but plain path characters — so
 * `base + path` stays on the base's origin and under its path. Otherwise a `GatewayConfigError` naming `field`.
 */
export function checkedPath(path: unknown, field: string): string {
  const segments = typeof path === 'string' && path.startsWith('/') ? path.slice(1).split('/') : null;
  const bad = segments?.find((segment) => !PATH_SEGMENT.test(segment) || segment === '.' || segment === '..');
  if (segments === null || bad !== undefined || path === '/') {
    throw new GatewayConfigError({
      option: field,
      message: 'expected a path below the gateway ("/name"), without "..", empty segments, "%", "?" or "#"',
    });
  }
  return path as string;
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
