import { ClientClosedError, GatewayConfigError } from '@sark/core';
import { LocalServer, defaultServerId, type LocalServerHealth, type LocalServerOptions } from './local-server';
import { checkStdioOptions } from './stdio-transport';

/**
 * Keeps local servers by id for a client: refuses a second server with the same id, reports the health of all,
 * and stops all of them on `close()`.
 */
export class LocalServerManager {
  readonly #servers = new Map<string, LocalServer>();
  readonly #starting = new Map<string, Promise<unknown>>();
  /** Aborted by `close()`: servers still starting stop at once instead of finishing their handshake. */
  readonly #lifetime = new AbortController();
  #closed = false;

  /** Starts a server under `options.serverId` (or its derived id); throws `GatewayConfigError` if the id is taken. */
  async connect(options: LocalServerOptions): Promise<LocalServer> {
    if (this.#closed) throw new ClientClosedError();
    checkStdioOptions(options); // before the id is derived from them
    const serverId = options.serverId ?? defaultServerId(options);
    if (this.#servers.has(serverId) || this.#starting.has(serverId)) {
      throw new GatewayConfigError({ message: `A local server with id "${serverId}" is already connected` });
    }
    const signal = options.signal ? AbortSignal.any([options.signal, this.#lifetime.signal]) : this.#lifetime.signal;
    const starting = LocalServer.start({ ...options, serverId, signal });
    this.#starting.set(
      serverId,
      starting.catch(() => undefined),
    );
    try {
      const server = await starting;
      if (this.#closed) {
        await server.stop();
        throw new ClientClosedError();
      }
      this.#servers.set(serverId, server);
      return server;
    } finally {
      this.#starting.delete(serverId);
    }
  }

  get(serverId: string): LocalServer | undefined {
    return this.#servers.get(serverId);
  }

  get size(): number {
    return this.#servers.size;
  }

  ids(): string[] {
    return [...this.#servers.keys()];
  }

  /** Stops and forgets one server. Unknown ids are ignored. */
  async disconnect(serverId: string, options: { graceMs?: number } = {}): Promise<void> {
    const server = this.#servers.get(serverId);
    if (!server) return;
    this.#servers.delete(serverId);
    await server.stop(options);
  }

  /** Health of every server (with an MCP ping when `ping` is set). */
  async health(options: { ping?: boolean; timeoutMs?: number } = {}): Promise<Record<string, LocalServerHealth>> {
    const entries = await Promise.all(
      [...this.#servers].map(async ([id, server]) => [id, await server.health(options)] as const),
    );
    return Object.fromEntries(entries);
  }

  /** Stops every server, and every one still starting (those calls reject with `ClientClosedError`). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    // Servers still starting reject with ClientClosedError at once and stop their processes.
    this.#lifetime.abort(new ClientClosedError({ message: 'The client is closed' }));
    const servers = [...this.#servers.values()];
    this.#servers.clear();
    await Promise.all([...servers.map((server) => server.stop()), ...this.#starting.values()]);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
