import { setOwn } from './own-property';
import { secretsInUse } from './secrets-in-use';

/** What a secret is replaced with wherever it would otherwise be shown. */
export const REDACTED = '[REDACTED]';

const SENSITIVE_NAME =
  /pass(word|wd)?|secret|token|api[-_]?key|authori[sz]ation|cookie|credential|private[-_]?key|session/i;

/**
 * Whether a header, query parameter or tool parameter with this name carries a secret. Like every redaction helper it
 * never throws — they run while failures are reported: a name that is not a string is not a secret's name.
 */
export function isSensitiveName(name: string): boolean {
  return typeof name === 'string' && SENSITIVE_NAME.test(name);
}

// Every repetition below is bounded, so no text — however hostile — makes a rule backtrack more than a constant
// amount at each position: the work is linear in the text's length.
const SECRET_WORDS = [
  String.raw`pass(?:word|wd)?`,
  'secret',
  'token',
  String.raw`api[-_]?key`,
  String.raw`authori[sz]ation`,
  'cookie',
  'credential',
  String.raw`private[-_]?key`,
  'session',
].join('|');
const NAME = String.raw`[\w.-]{0,40}(?:${SECRET_WORDS})[\w.-]{0,40}`;
/** How far a quoted secret value is followed looking for its closing quote (bounds the work on hostile text). */
const MAX_QUOTED_VALUE = 8192;
const TEXT_RULES: readonly [RegExp, string][] = [
  // Authorization schemes: "Bearer abc…", "Basic abc…" (8+ characters, so "Basic auth" stays readable)
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1 ${REDACTED}`],
  // A secret-named key with a quoted value, in every quoting: JSON "k": "v", JSON inside a JSON string \"k\":\"v\",
  // JS inspect k: 'v', Python repr 'k': 'v', keyword k='v'. The value ends at the same quote (with as many backslashes
  // in front) followed by a delimiter; an unterminated value (a cut text) is redacted to the end.
  [
    new RegExp(
      String.raw`((?:\\{0,8}["'])?\b${NAME}(?:\\{0,8}["'])?[ \t]{0,16}[:=][ \t]{0,16})` +
        String.raw`(\\{0,8})(["'\x60])[\s\S]{0,${MAX_QUOTED_VALUE}}?(?:\2\3(?=[\s,;&})\]\\]|$)|$)`,
      'gi',
    ),
    `$1$2$3${REDACTED}$2$3`,
  ],
  // Header lines: "Password: value with spaces" up to the end of the line
  [
    new RegExp(
      String.raw`^([ \t]{0,16}${NAME}[ \t]{0,16}:[ \t]{0,16})(?![\s\\"'\x60]{0,16}\[REDACTED\])[^\r\n]+`,
      'gim',
    ),
    `$1${REDACTED}`,
  ],
  // name=value and name: value (query strings, forms, log lines)
  [
    new RegExp(
      String.raw`(\b${NAME}\b[ \t]{0,16}[:=][ \t]{0,16})` +
        String.raw`(?![\s\\"'\x60]{0,16}\[REDACTED\]|\\{0,8}["'\x60])[^\s&,;"'}\])]+`,
      'gi',
    ),
    `$1${REDACTED}`,
  ],
  // JSON Web Tokens anywhere
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // userinfo in URLs: scheme://user:pass@host
  [/\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/@]{1,512}@/gi, `$1${REDACTED}@`],
];

/** The shortest piece of a secret that is still treated as a leak where a cut text starts or ends with it. */
const MIN_PARTIAL = 4;

function redactText(text: string): string {
  let out = text;
  for (const secret of secretsInUse()) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

/** Where a text was cut before it reached us: a secret may stand there only in part. */
export interface CutEnds {
  /** The text is the end of something longer (a tail). */
  readonly cutAtStart?: boolean;
  /** The text is the start of something longer (an excerpt). */
  readonly cutAtEnd?: boolean;
}

/**
 * {@link redact} for a text that was cut out of a longer one: besides everything `redact` removes, a piece of a
 * secret in use where the text was cut (the start of a key at the end of an excerpt, the end of a token at the start
 * of a tail) is replaced too.
 */
export function redactCut(text: string, ends: CutEnds): string {
  let out = redactText(text);
  for (const secret of secretsInUse()) {
    for (let k = Math.min(secret.length - 1, out.length); k >= MIN_PARTIAL; k--) {
      if (ends.cutAtEnd && out.endsWith(secret.slice(0, k))) {
        out = `${out.slice(0, out.length - k)}${REDACTED}`;
        break;
      }
    }
    for (let k = Math.min(secret.length - 1, out.length); k >= MIN_PARTIAL; k--) {
      if (ends.cutAtStart && out.startsWith(secret.slice(secret.length - k))) {
        out = `${REDACTED}${out.slice(k)}`;
        break;
      }
    }
  }
  return out;
}

/** The first `maxChars` characters of `text`, redacted BEFORE the cut (so no secret is cut in two), with a `…`. */
export function redactedExcerpt(text: string, maxChars: number, ends: CutEnds = {}): string {
  const clean = ends.cutAtEnd || ends.cutAtStart ? redactCut(text, ends) : redactText(text);
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
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
  if (typeof url !== 'string') return typeof url;
  try {
    return redactUrlObject(new URL(url));
  } catch {
    return redactText(url);
  }
}

type HeaderInput = Record<string, string | readonly string[] | number | undefined> | Iterable<[string, string]>;

function headerText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : typeof value;
}

/** A plain copy of the headers with the values of secret-carrying headers replaced (never throws). */
export function redactHeaders(headers: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  const entries: Iterable<[string, unknown]> =
    Symbol.iterator in headers ? (headers as Iterable<[string, string]>) : Object.entries(headers);
  for (const entry of entries) {
    if (!Array.isArray(entry)) continue;
    const [name, value] = entry as [unknown, unknown];
    if (value === undefined || typeof name !== 'string') continue;
    const text = Array.isArray(value) ? value.map(headerText).join(', ') : headerText(value);
    setOwn(out, name, isSensitiveName(name) ? REDACTED : redactText(text));
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
    setOwn(
      out,
      key,
      isSensitiveName(key) && item !== null && item !== undefined ? REDACTED : redactDeep(item, seen, depth + 1),
    );
  }
  return out;
}

/**
 * The one redaction helper. Strings lose every secret in use ({@link holdSecret}), bearer tokens, JWTs, the values
 * of secret-named keys in JSON, escaped JSON, JS inspect, Python repr, header-line, query-string and form shapes, and
 * URL userinfo; objects and arrays are copied with the values of secret-named keys (password, secret, token,
 * api_key, authorization, …) replaced and every string inside redacted. Other values are returned as they are.
 */
export function redact<T>(value: T): T {
  return redactDeep(value, new WeakSet(), 0) as T;
}
