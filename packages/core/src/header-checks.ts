import { GatewayConfigError } from './errors';
import { checkOptionsObject } from './option-checks';
import { setOwn } from './own-property';
import { isSensitiveName } from './redact';
import { holdSecret } from './secrets-in-use';

/** Anything but tab and printable ASCII: control characters split or corrupt a header block, and non-ASCII text
 * is refused or mangled differently by each HTTP stack. */
const NOT_SENDABLE_IN_HEADER = /[^\t\x20-\x7e]/;

/** An RFC 9110 token: what every HTTP stack accepts as a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Throws `GatewayConfigError` (naming the header, never its value) unless the value can be sent as it is by every
 * HTTP stack: printable ASCII and tab only — no CR, LF, NUL or other control character, nothing beyond ASCII.
 */
export function checkHeaderValue(name: string, value: string): string {
  if (typeof value !== 'string')
    throw new GatewayConfigError({ option: `${name} header`, message: 'expected a string' });
  if (NOT_SENDABLE_IN_HEADER.test(value)) {
    throw new GatewayConfigError({
      option: `${name} header`,
      message:
        `its value holds a control character (CR, LF, NUL, …) or a non-ASCII character, which ` + `cannot be sent`,
    });
  }
  return value;
}

/**
 * Throws `GatewayConfigError` unless `name` is a header name every HTTP stack accepts (letters, digits and
 * ``!#$%&'*+-.^_`|~``); returns it in lower case. Without this check undici refuses the request only when it is sent,
 * and `fetch` throws a `TypeError` that would look like a network failure (retried, counted by the breaker).
 */
export function checkHeaderName(name: string): string {
  if (typeof name !== 'string' || !HEADER_NAME.test(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 64)) : typeof name;
    throw new GatewayConfigError({
      option: `header name ${shown}`,
      message: `not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only)`,
    });
  }
  return name.toLowerCase();
}

/** Adds the caller's `extra` headers to `headers`: each name and value checked, names in lower case. */
export function addCheckedHeaders(
  headers: Record<string, string>,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  for (const [name, value] of Object.entries(checkOptionsObject(extra, 'headers')))
    setOwn(headers, checkHeaderName(name), checkHeaderValue(name, value));
  return headers;
}

/**
 * Holds the values of `headers` with secret-like names (`Authorization`, `X-Gateway-Token`, …; an auth scheme such as
 * `Bearer ` dropped) as secrets in use, so that they are redacted wherever they show up; returns the releases.
 */
export function holdSecretHeaders(headers: Readonly<Record<string, string>>): (() => void)[] {
  const releases: (() => void)[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (isSensitiveName(name) && typeof value === 'string')
      releases.push(holdSecret(value.replace(/^(Bearer|Basic)\s+/i, '')));
  }
  return releases;
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
