/** How much of an error answer's body is read: enough for a useful, redacted excerpt, never a whole flood. */
export const ERROR_BODY_READ_BYTES = 8 * 1024;

/** The start of a body, as text. */
export interface BodyExcerpt {
  readonly text: string;
  /** The body went on past what was read (the rest was cancelled). */
  readonly truncated: boolean;
}

/**
 * Reads at most `maxBytes` of a fetch body and cancels the rest, so a hostile peer's endless or huge error body
 * costs a few KiB. A body that fails mid-way gives what was read.
 */
export async function readBodyExcerpt(
  body: ReadableStream<Uint8Array> | null,
  maxBytes = ERROR_BODY_READ_BYTES,
): Promise<BodyExcerpt> {
  if (!body) return { text: '', truncated: false };
  const reader = body.getReader();
  const bytes = new Uint8Array(maxBytes);
  let length = 0;
  let truncated = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      const room = maxBytes - length;
      bytes.set(next.value.subarray(0, room), length);
      length += Math.min(room, next.value.length);
      if (next.value.length > room) {
        truncated = true;
        break;
      }
    }
  } catch {
    // What was read so far is the excerpt.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return { text: new TextDecoder().decode(bytes.subarray(0, length)), truncated };
}
