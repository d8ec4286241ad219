/**
 * A value as a message shows it: a primitive as its text, anything else by its type — an object may not convert
 * (no prototype, a throwing `toString`), and its text is not ours to print.
 */
export function shownValue(value: unknown): string {
  return (typeof value === 'object' && value !== null) || typeof value === 'function' ? typeof value : String(value);
}
