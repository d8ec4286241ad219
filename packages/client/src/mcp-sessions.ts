import { ClientClosedError, GatewayHttpError } from '@sark/core';
import type { RemoteServer } from '@sark/transport-mcp-http';

/** Sessions one dialect keeps open at once; the least recently used is closed beyond this. */
const MAX_SESSIONS = 256;

/**
 * The MCP sessions a dialect calls tools through, one per key (a server path and whose credential): opened on first
 * use, reused, re-opened once when the gateway has forgotten one (`404` on a session it gave), the least recently
 * used closed beyond 256, all closed by `close()`.
 */
/** Errors of opening a session: the call they were for was never sent. */
const beforeTheCall = new WeakSet<object>();

/** Whether `error` came from opening the session a call needed — so the call itself never left the client. */
export function failedBeforeTheCall(error: unknown): boolean {
  return typeof error === 'object' && error !== null && beforeTheCall.has(error);
}

/** One session: its opening, and the server once open. */
interface Session {
  readonly opening: Promise<RemoteServer>;
  server: RemoteServer | null;
}

export class McpSessions {
  readonly #sessions = new Map<string, Session>();
  #closed = false;

  get size(): number {
    return this.#sessions.size;
  }

  /** Runs `call` on the session for `key`, opening it with `open` when there is none (or it was forgotten). */
  async use<T>(key: string, open: () => Promise<RemoteServer>, call: (server: RemoteServer) => Promise<T>): Promise<T> {
    const server = await this.#opened(key, open);
    try {
      return await call(server);
    } catch (error) {
      if (!(error instanceof GatewayHttpError && error.status === 404 && server.sessionId !== null)) throw error;
      // The gateway forgot the session (restarted, or expired it): the request reached no tool. Once more, anew.
      if (this.#sessions.get(key)?.server === server) this.#sessions.delete(key);
      void server.close().catch(() => undefined);
      return call(await this.#opened(key, open));
    }
  }

  async #opened(key: string, open: () => Promise<RemoteServer>): Promise<RemoteServer> {
    try {
      return await this.#session(key, open);
    } catch (error) {
      if (typeof error === 'object' && error !== null) beforeTheCall.add(error);
      throw error;
    }
  }

  /** Each open session, for health checks. */
  get servers(): RemoteServer[] {
    return [...this.#sessions.values()].flatMap((session) => (session.server ? [session.server] : []));
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(all.map((session) => closeWhenOpen(session)));
  }

  #session(key: string, open: () => Promise<RemoteServer>): Promise<RemoteServer> {
    if (this.#closed) return Promise.reject(new ClientClosedError({ message: 'The gateway client is closed' }));
    const held = this.#sessions.get(key);
    if (held) {
      // Most recently used last: the first entry is the one to close when there are too many.
      this.#sessions.delete(key);
      this.#sessions.set(key, held);
      return held.opening;
    }
    const session: Session = { opening: open(), server: null };
    this.#sessions.set(key, session);
    session.opening.then(
      (server) => {
        session.server = server;
        // Opened while the client closed, or after it was pushed out: closed at once.
        if (this.#sessions.get(key) !== session) void server.close().catch(() => undefined);
      },
      () => {
        // A failed open is forgotten, so the next call tries again.
        if (this.#sessions.get(key) === session) this.#sessions.delete(key);
      },
    );
    while (this.#sessions.size > MAX_SESSIONS) {
      const [oldestKey, oldest] = this.#sessions.entries().next().value as [string, Session];
      this.#sessions.delete(oldestKey);
      void closeWhenOpen(oldest);
    }
    return session.opening;
  }
}

function closeWhenOpen(session: Session): Promise<void> {
  return session.opening.then((server) => server.close()).catch(() => undefined);
}
