/**
 * The buffer between a connection and its consumer: bounded, with back-pressure. The producer awaits `room()`
 * before reading more bytes once `capacity` items wait, so a slow consumer pauses the connection instead of growing
 * memory. The consumer awaits `next()`.
 */
export class EventQueue<T> {
  readonly #capacity: number;
  #items: T[] = [];
  #head = 0;
  #ended = false;
  #error: { reason: unknown } | null = null;
  #consumer: (() => void) | null = null;
  #producer: (() => void) | null = null;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
    this.#wakeConsumer();
  }

  /** Resolves when the consumer has made room (at once when there is room). */
  room(): Promise<void> {
    if (this.size < this.#capacity || this.#ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.#producer = resolve;
    });
  }

  /** No more items: the consumer gets what is buffered (nothing with `discard`), then the end. */
  end(discard = false): void {
    if (discard) {
      this.#items = [];
      this.#head = 0;
    }
    this.#ended = true;
    this.#wakeConsumer();
    this.#wakeProducer();
  }

  /** Fails the consumer once the buffered items are taken (or at once with `discard`). */
  fail(reason: unknown, discard = false): void {
    if (this.#ended) return;
    this.#error = { reason };
    this.end(discard);
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    for (;;) {
      if (this.size > 0) {
        const item = this.#items[this.#head] as T;
        this.#items[this.#head++] = undefined as T;
        if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
          this.#items = this.#items.slice(this.#head);
          this.#head = 0;
        }
        if (this.size < this.#capacity) this.#wakeProducer();
        return { value: item, done: false };
      }
      if (this.#error) throw this.#error.reason;
      if (this.#ended) return { value: undefined, done: true };
      await new Promise<void>((resolve) => {
        this.#consumer = resolve;
      });
    }
  }

  #wakeConsumer(): void {
    const wake = this.#consumer;
    this.#consumer = null;
    wake?.();
  }

  #wakeProducer(): void {
    const wake = this.#producer;
    this.#producer = null;
    wake?.();
  }
}
