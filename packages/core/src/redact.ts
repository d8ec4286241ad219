/** What a secret is replaced with wherever it would otherwise be shown. */
export const REDACTED = '[REDACTED]';

const SENSITIVE_NAME = /pass(word|wd)?|secret|token|api[-_]?key|authori[sz]ation|cookie|credential|private[-_]?key|session/i;

/** Whether a header, query parameter or tool parameter with this name carries a secret. */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

const NAME = String.raw`[\w.-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|authori[sz]ation|cookie|credential|private[-_]?key|session)[\w.-]*`;
const TEXT_RULES: readonly [RegExp, string][] = [
  // Authorization schemes: "Bearer abc", "Basic abc"
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // JSON-ish pairs: "api_key": "abc" / 'token': 'abc'
  [new RegExp(String.raw`(["'](?:${NAME})["']\s*:\s*)(["'])(?:\\.|(?!\2).)*\2`, 'gi'), `$1$2${REDACTED}$2`],
  // name=value and name: value (query strings, headers, log lines)
  [new RegExp(String.raw`(\b${NAME}\b\s*[:=]\s*)(?!\[REDACTED\])[^\s&,;"'}\]]+`, 'gi'), `$1${REDACTED}`],
  // JSON Web Tokens anywhere
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // userinfo in URLs: scheme://user:pass@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, `$1${REDACTED}@`],
];

const REGISTRY_KEY = Symbol.for('@sark/core:registered-secrets');
const MAX_REGISTERED = 256;
type Registry = Set<string>;
function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  let set = holder[REGISTRY_KEY];
  if (!set) {
    set = new Set();
    holder[REGISTRY_KEY] = set;
  }
  return set;
}

/**
 * Remembers a secret value (an API key, a user token) so that {@link redact} removes it from any text, whatever
 * shape that text has. Values shorter than 6 characters are not registered (they would redact ordinary words).
 * The registry is shared between copies of `@sark/core` and bounded (oldest forgotten first).
 */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < 6) return;
  const set = registry();
  set.delete(value);
  set.add(value);
  if (set.size > MAX_REGISTERED) {
    const oldest = set.values().next().value;
    if (oldest !== undefined) set.delete(oldest);
  }
}

function redactText(text: string): string {
  let out = text;
  for (const secret of registry()) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

function redactUrlObject(url: URL): string {
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
  }
  for (const key of [...url.searchParams.keys()]) {
    if (isSensitiveName(key)) url.searchParams.set(key, REDACTED);
  }
  return redactText(url.toString());
}

/**
 * A URL with userinfo removed and the values of secret-looking query parameters replaced.
 * Strings that are not absolute URLs are redacted as text.
 */
export function redactUrl(url: string | URL): string {
  if (url instanceof URL) return redactUrlObject(new URL(url.toString()));
  try {
    return redactUrlObject(new URL(url));
  } catch {
    return redactText(url);
  }
}

type HeaderInput = Record<string, string | readonly string[] | number | undefined> | Iterable<[string, string]>;

/** A plain copy of the headers with the values of secret-carrying headers replaced. */
export function redactHeaders(headers: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: Iterable<[string, unknown]> =
    Symbol.iterator in headers ? (headers as Iterable<[string, string]>) : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    out[name] = isSensitiveName(name) ? REDACTED : redactText(text);
  }
  return out;
}

function redactDeep(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > 32) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, seen, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSensitiveName(key) && item !== null && item !== undefined ? REDACTED : redactDeep(item, seen, depth + 1);
  }
  return out;
}

/**
 * The one redaction helper. Strings lose bearer tokens, JWTs, `key=value` secrets, URL userinfo and every
 * registered secret; objects and arrays are copied with the values of secret-named keys (password, secret, token,
 * api_key, authorization, …) replaced and every string inside redacted. Other values are returned as they are.
 */
export function redact<T>(value: T): T {
  return redactDeep(value, new WeakSet(), 0) as T;
}
