const NEWLINE = 0x0a;

/** What a {@link LineSplitter} reports. */
export interface LineSplitterEvents {
  /** One complete line, without its `\n`. The buffer may be a view into a chunk: copy it to keep it. */
  onLine(line: Buffer): void;
  /**
   * A line grew past the limit; its bytes are dropped up to the next `\n`. `head` and `tail` are its first and last
   * bytes (≤ 256 each): a JSON-RPC id stands near one end or the other, depending on the sender's key order.
   */
  onOversized(bytes: number, head: Buffer, tail: Buffer): void;
}

/**
 * Splits a byte stream into `\n`-terminated lines. Partial lines are kept as a list of chunk views and joined once
 * when their newline arrives, so a message split into many chunks (even byte by byte) costs linear time, and many
 * messages in one chunk are handed out as views without copying.
 */
export class LineSplitter {
  readonly #events: LineSplitterEvents;
  readonly #maxLineBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #discarding = false;
  /** The first and the last bytes of the line being discarded, kept so its id can be read. */
  #head: Buffer = Buffer.alloc(0);
  #tail: Buffer = Buffer.alloc(0);

  constructor(maxLineBytes: number, events: LineSplitterEvents) {
    this.#maxLineBytes = maxLineBytes;
    this.#events = events;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE, start); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      this.#completeLine(chunk.subarray(start, newline));
      start = newline + 1;
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
  }

  #completeLine(tail: Buffer): void {
    if (this.#discarding) {
      this.#events.onOversized(this.#pendingBytes + tail.length, this.#head, tailOf([this.#tail, tail]));
      this.#reset();
      return;
    }
    if (this.#pendingBytes + tail.length > this.#maxLineBytes) {
      const parts = [...this.#pending, tail];
      this.#events.onOversized(this.#pendingBytes + tail.length, headOf(parts), tailOf(parts));
      this.#reset();
      return;
    }
    if (this.#pending.length === 0) {
      this.#events.onLine(tail);
      return;
    }
    this.#pending.push(tail);
    const line = Buffer.concat(this.#pending, this.#pendingBytes + tail.length);
    this.#reset();
    this.#events.onLine(line);
  }

  #keep(part: Buffer): void {
    this.#pendingBytes += part.length;
    if (this.#discarding) {
      this.#tail = tailOf([this.#tail, part]);
      return;
    }
    if (this.#pendingBytes > this.#maxLineBytes) {
      this.#discarding = true;
      this.#head = headOf([...this.#pending, part]);
      this.#tail = tailOf([...this.#pending, part]);
      this.#pending = [];
      return;
    }
    this.#pending.push(part);
  }

  #reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#discarding = false;
    this.#head = Buffer.alloc(0);
    this.#tail = Buffer.alloc(0);
  }
}

const HEAD_BYTES = 256;

function headOf(parts: readonly Buffer[]): Buffer {
  const head = Buffer.concat(
    parts,
    Math.min(
      HEAD_BYTES,
      parts.reduce((sum, part) => sum + part.length, 0),
    ),
  );
  return Buffer.from(head.subarray(0, HEAD_BYTES));
}

/** The last {@link HEAD_BYTES} bytes of the parts, copied (without joining more than that). */
function tailOf(parts: readonly Buffer[]): Buffer {
  const kept: Buffer[] = [];
  let bytes = 0;
  for (let i = parts.length - 1; i >= 0 && bytes < HEAD_BYTES; i--) {
    const part = parts[i] as Buffer;
    const piece = part.subarray(Math.max(0, part.length - (HEAD_BYTES - bytes)));
    kept.unshift(piece);
    bytes += piece.length;
  }
  return Buffer.concat(kept, bytes);
}
