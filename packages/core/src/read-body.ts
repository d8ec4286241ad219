/** How much of an error answer's body is read: enough for a useful, redacted excerpt, never a whole flood. */
export const ERROR_BODY_READ_BYTES = 8 * 1024;

/** The start of a body, as text. */
export interface BodyExcerpt {
  readonly text: string;
  /** The body went on past what was read (the rest was cancelled). */
  readonly truncated: boolean;
}

/** At most `maxBytes` of a body. */
export interface BodyPrefix {
  readonly bytes: Uint8Array;
  /** The body went on past `maxBytes`; the rest was cancelled unread. */
  readonly truncated: boolean;
  /** Bytes received, the chunk that crossed the bound included: what a "too large" message reports. */
  readonly received: number;
}

/**
 * Reads at most `maxBytes` of a fetch body and cancels the rest, so a huge or endless body costs no more than the
 * bound. A read that fails rejects, unless `keepOnError`: then what was read is the prefix.
 */
export async function readBodyPrefix(
  body: ReadableStream<Uint8Array> | null | undefined,
  maxBytes: number,
  keepOnError = false,
): Promise<BodyPrefix> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  let received = 0;
  let truncated = false;
  const reader = body?.getReader();
  if (reader) {
    let ended = false;
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) {
          ended = true;
          break;
        }
        const chunk = next.value;
        received += chunk.length;
        const room = maxBytes - length;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        length += Math.min(room, chunk.length);
        if (chunk.length > room) {
          truncated = true;
          break;
        }
      }
    } catch (error) {
      if (!keepOnError) throw error;
    } finally {
      if (!ended) await reader.cancel().catch(() => undefined);
    }
  }
  return { bytes: joinChunks(chunks, length), truncated, received };
}

/** At most `maxBytes` (default {@link ERROR_BODY_READ_BYTES}) of a body as text; a failing body gives what was read. */
export async function readBodyExcerpt(
  body: ReadableStream<Uint8Array> | null | undefined,
  maxBytes = ERROR_BODY_READ_BYTES,
): Promise<BodyExcerpt> {
  const { bytes, truncated } = await readBodyPrefix(body, maxBytes, true);
  return { text: utf8Text(bytes), truncated };
}

let decoder: TextDecoder | undefined;

/**
 * UTF-8 bytes as text (malformed sequences as U+FFFD), through one shared decoder: made at the first use, not at
 * import (nothing may run at module scope in some edge runtimes), and reused — each call decodes a whole buffer.
 */
export function utf8Text(bytes: Uint8Array): string {
  decoder ??= new TextDecoder();
  return decoder.decode(bytes);
}

function joinChunks(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}
