import { GatewayConfigError, type Logger, type RequestAuthorizer } from '@sark/core';
import { parseGatewayUrl, requireName } from '@sark/core/internal';
import type { RemoteServer } from '@sark/transport-mcp-http';
import { bearerToken } from './bearer-token';
import type { GatewayDialect } from './gateway-api';
import { asGatewayCredential } from './gateway-credential';
import type { ConnectRemoteServerOptions, GatewayClientOptions } from './options';
import { callerPath } from './registry-wire';

/** `healthCheck()` of one remote server: an MCP ping round trip. */
export interface RemoteServerHealth {
  readonly status: 'connected';
  readonly responsive: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

/**
 * A client's remote MCP servers by id. A server of the gateway (`server: 'everything'`) is reached at
 * `{gatewayUrl}/mcp/{server}` with the client's `X-API-Key` and `auth`; they go only to the gateway's own origin,
 * never to another `url`.
 */
/** Hands over the RemoteServer class: imported with the Node client, loaded on first use in browsers. */
export type RemoteServerLoader = () => Promise<typeof RemoteServer>;

export class RemoteServers {
  readonly #options: GatewayClientOptions;
  readonly #logger: Logger;
  readonly #servers = new Map<string, RemoteServer>();
  readonly #connecting = new Set<string>();
  readonly #load: RemoteServerLoader;

  readonly #dialect: () => GatewayDialect | null;

  constructor(
    options: GatewayClientOptions,
    logger: Logger,
    load: RemoteServerLoader,
    dialect: () => GatewayDialect | null,
  ) {
    this.#options = options;
    this.#dialect = dialect;
    this.#logger = logger;
    this.#load = load;
  }

  get size(): number {
    return this.#servers.size;
  }

  async connect(options: ConnectRemoteServerOptions): Promise<RemoteServer> {
    const { id, server, url: given, headers, ...rest } = options;
    requireName(id, 'connectRemoteServer: id');
    if (this.#servers.has(id) || this.#connecting.has(id)) {
      throw new GatewayConfigError({ message: `A remote server with id "${id}" is already connected` });
    }
    const registry = this.#dialect() === 'mcp-gateway-registry';
    const url = given ?? this.#gatewayServerUrl(server, registry);
    const onGateway = this.#sameOriginAsGateway(url);
    // The registry takes no X-API-Key: its credential (OAuth, else the key as a bearer token) goes in X-Authorization.
    const withKey = this.#options.apiKey !== undefined && onGateway && !registry;
    const gatewayAuth = registry ? this.#registryCredential() : this.#options.auth;
    // The client's credential goes to the gateway's own endpoints (unless the call brings its own auth or a token).
    const auth = rest.auth ?? (onGateway && rest.token === undefined ? gatewayAuth : undefined);
    this.#connecting.add(id);
    try {
      const RemoteServer = await this.#load();
      const remote = await RemoteServer.connect({
        telemetry: this.#options.telemetry,
        ...rest,
        auth,
        url,
        headers: { ...(withKey ? { 'x-api-key': this.#options.apiKey as string } : {}), ...headers },
        fetch: this.#options.fetch,
        logger: this.#logger,
      });
      this.#servers.set(id, remote);
      return remote;
    } finally {
      this.#connecting.delete(id);
    }
  }

  async disconnect(id: string): Promise<void> {
    const remote = this.#servers.get(id);
    this.#servers.delete(id);
    await remote?.close();
  }

  /** A ping to each server, at most `timeoutMs` each; never rejects. */
  async health(timeoutMs: number): Promise<Record<string, RemoteServerHealth>> {
    const entries = await Promise.all(
      [...this.#servers].map(async ([id, remote]): Promise<[string, RemoteServerHealth]> => {
        const started = performance.now();
        try {
          await remote.sendRequest('ping', undefined, { timeoutMs });
          return [id, { status: 'connected', responsive: true, latencyMs: performance.now() - started }];
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [
            id,
            { status: 'connected', responsive: false, latencyMs: performance.now() - started, error: message },
          ];
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  async close(): Promise<void> {
    const all = [...this.#servers.values()];
    this.#servers.clear();
    await Promise.all(all.map((remote) => remote.close()));
  }

  #registryCredential(): RequestAuthorizer | undefined {
    const { auth, apiKey } = this.#options;
    const credential = auth ?? (apiKey === undefined ? undefined : bearerToken(apiKey));
    return credential && asGatewayCredential(credential);
  }

  #gatewayServerUrl(server: string | undefined, registry: boolean): string {
    if (server === undefined) {
      throw new GatewayConfigError({
        option: 'connectRemoteServer',
        message: 'give a url, or the name of a gateway server',
      });
    }
    requireName(server, 'connectRemoteServer: server');
    if (this.#options.gatewayUrl === undefined) {
      throw new GatewayConfigError({ option: 'connectRemoteServer', message: 'server needs the client’s gatewayUrl' });
    }
    if (this.#dialect() === 'mcp') {
      throw new GatewayConfigError({
        option: 'connectRemoteServer',
        message: 'the mcp dialect’s gateway is one MCP endpoint, with no servers of its own: give a url',
      });
    }
    const base = parseGatewayUrl(this.#options.gatewayUrl);
    // The registry serves a server at /{path}/mcp; the SARK gateway at /mcp/{server}.
    if (registry) return `${base.origin}${base.basePath}${callerPath(server, 'connectRemoteServer: server')}/mcp`;
    return `${base.origin}${base.basePath}/mcp/${encodeURIComponent(server)}`;
  }

  #sameOriginAsGateway(url: string): boolean {
    if (this.#options.gatewayUrl === undefined) return false;
    try {
      return new URL(url).origin === parseGatewayUrl(this.#options.gatewayUrl).origin;
    } catch {
      return false;
    }
  }
}
