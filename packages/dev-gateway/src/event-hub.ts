import { appendFileSync, existsSync, readFileSync } from 'node:fs';

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

/**
 * Gateway events with increasing ids, a bounded ring for Last-Event-ID replay, and live subscribers. With a log
 * file, every event is appended to it and the ring and the next id are read back from it at start, so a restarted
 * gateway goes on where the last one stopped.
 */
export class EventHub {
  readonly #capacity: number;
  readonly #ring: HubEvent[] = [];
  readonly #subscribers = new Set<Subscriber>();
  readonly #logFile: string | undefined;
  #nextId = 1;

  constructor(capacity: number, logFile?: string) {
    this.#capacity = capacity;
    this.#logFile = logFile;
    if (logFile !== undefined && existsSync(logFile)) {
      const lines = readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '');
      for (const line of lines.slice(-capacity)) this.#ring.push(JSON.parse(line) as HubEvent);
      this.#nextId = (this.#ring.at(-1)?.id ?? 0) + 1;
    }
  }

  emit(
    type: string,
    payload: Record<string, unknown>,
    options: { serverName?: string; audit?: boolean } = {},
  ): HubEvent {
    const event: HubEvent = {
      id: this.#nextId++,
      type,
      data: JSON.stringify({ ...payload, timestamp: new Date().toISOString() }),
      serverName: options.serverName ?? null,
      audit: options.audit ?? false,
    };
    this.#ring.push(event);
    if (this.#ring.length > this.#capacity) this.#ring.shift();
    if (this.#logFile !== undefined) appendFileSync(this.#logFile, `${JSON.stringify(event)}\n`);
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
