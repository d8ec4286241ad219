/** One event as the gateway streams it. */
export interface HubEvent {
  readonly id: number;
  readonly type: string;
  readonly data: string;
  /** For `/api/v1/servers/{name}/stream`. */
  readonly serverName: string | null;
  /** For `/api/v1/audit/stream`. */
  readonly audit: boolean;
}

type Subscriber = (event: HubEvent) => void;

/** Gateway events with increasing ids, a bounded ring for Last-Event-ID replay, and live subscribers. */
export class EventHub {
  readonly #capacity: number;
  readonly #ring: HubEvent[] = [];
  readonly #subscribers = new Set<Subscriber>();
  #nextId = 1;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  emit(type: string, payload: Record<string, unknown>, options: { serverName?: string; audit?: boolean } = {}): HubEvent {
    const event: HubEvent = {
      id: this.#nextId++,
      type,
      data: JSON.stringify({ ...payload, timestamp: new Date().toISOString() }),
      serverName: options.serverName ?? null,
      audit: options.audit ?? false,
    };
    this.#ring.push(event);
    if (this.#ring.length > this.#capacity) this.#ring.shift();
    for (const subscriber of this.#subscribers) subscriber(event);
    return event;
  }

  /** Events after `lastId` still in the ring. */
  since(lastId: number): HubEvent[] {
    return this.#ring.filter((event) => event.id > lastId);
  }

  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }
}
