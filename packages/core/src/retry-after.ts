/**
 * Milliseconds to wait from a `Retry-After` header value: delay-seconds (`"120"`) or an HTTP date. Null when the
 * value is absent or malformed; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3},? /.test(text)) return null; // HTTP dates start with a day name
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
