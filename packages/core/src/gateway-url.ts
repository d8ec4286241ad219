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
      message: `${name}: must be an http(s) URL string, got ${gatewayUrl === null ? 'null' : typeof gatewayUrl}`,
    });
  let url: URL;
  try {
    url = new URL(gatewayUrl);
  } catch {
    throw new GatewayConfigError({ message: `${name}: "${redactUrl(gatewayUrl)}" is not an absolute URL` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayConfigError({ message: `${name}: only http and https are supported, not ${url.protocol}` });
  }
  if (url.username || url.password) {
    throw new GatewayConfigError({
      message: `${name}: credentials in the URL are not allowed; use apiKey or userToken`,
    });
  }
  if (url.search || url.hash) throw new GatewayConfigError({ message: `${name}: must not carry a query or fragment` });
  return Object.freeze({ origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') });
}

/**
 * One path segment for a server name: percent-encoded, so `/`, `?`, `#`, `%` and control characters can never
 * change the path; `.` and `..` (which URL parsers resolve) and the empty name are refused.
 */
export function pathSegment(name: string, field: string): string {
  if (typeof name !== 'string' || name === '')
    throw new GatewayConfigError({ message: `${field}: expected a non-empty string` });
  if (name === '.' || name === '..')
    throw new GatewayConfigError({ message: `${field}: "${name}" is not a valid name` });
  return encodeURIComponent(name);
}

/** `value` when it is a non-empty string (a server or tool name); otherwise a `GatewayConfigError` naming `field`. */
export function requireName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new GatewayConfigError({ message: `${field}: expected a non-empty string` });
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

/** Anything but tab and printable ASCII: control characters split or corrupt a header block, and non-ASCII text
 * is refused or mangled differently by each HTTP stack. */
const NOT_SENDABLE_IN_HEADER = /[^\t\x20-\x7e]/;

/**
 * Throws `GatewayConfigError` (naming the header, never its value) unless the value can be sent as it is by every
 * HTTP stack: printable ASCII and tab only — no CR, LF, NUL or other control character, nothing beyond ASCII.
 */
export function checkHeaderValue(name: string, value: string): string {
  if (typeof value !== 'string') throw new GatewayConfigError({ message: `${name} header: expected a string` });
  if (NOT_SENDABLE_IN_HEADER.test(value)) {
    throw new GatewayConfigError({
      message:
        `${name} header: its value holds a control character (CR, LF, NUL, …) or a non-ASCII character, which ` +
        `cannot be sent`,
    });
  }
  return value;
}

/**
 * The longest value a peer may have us send back in a header (an SSE event id as `Last-Event-ID`, an MCP session id):
 * real ones are far shorter, and a huge one would make every later request fail (HTTP 431) or bloat each of them.
 */
export const MAX_ECHOED_HEADER_CHARS = 4096;

/**
 * Whether a value a peer gave us can be sent back as a header value: sendable as it is (see {@link checkHeaderValue})
 * and at most {@link MAX_ECHOED_HEADER_CHARS} characters.
 */
export function isEchoableHeaderValue(value: string): boolean {
  return value.length <= MAX_ECHOED_HEADER_CHARS && !NOT_SENDABLE_IN_HEADER.test(value);
}
