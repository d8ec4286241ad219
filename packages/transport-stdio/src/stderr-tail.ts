/** Keeps the last `maxBytes` of a child's stderr for diagnostics (error messages, `stderr` of a LocalServer). */
export class StderrTail {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes - (this.#chunks[0]?.length ?? 0) >= this.#maxBytes && this.#chunks.length > 1) {
      this.#bytes -= this.#chunks.shift()?.length ?? 0;
    }
  }

  /** The kept text, starting at a line boundary where one is near. */
  toString(): string {
    const all = Buffer.concat(this.#chunks, this.#bytes);
    const start = Math.max(0, all.length - this.#maxBytes);
    const text = all.subarray(start).toString('utf8');
    if (start === 0) return text;
    const firstNewline = text.indexOf('\n');
    return firstNewline === -1 ? text : text.slice(firstNewline + 1);
  }
}
