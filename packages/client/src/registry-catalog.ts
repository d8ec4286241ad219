import { GatewayConfigError, GatewayProtocolError, type RequestAuthorizer } from '@sark/core';
import {
  DEFAULT_PAGING_LIMITS,
  checkAuthorizer,
  checkFunction,
  checkInteger,
  checkObject,
  checkOptionsObject,
  checkPositive,
  checkString,
  isWireObject,
  parseGatewayUrl,
} from '@sark/core/internal';
import type { RemoteServer, RemoteServerOptions } from '@sark/transport-mcp-http';
import { fetchJson } from './fetch-json';

/** Options of a {@link RegistryCatalog}. */
export interface RegistryCatalogOptions {
  /** The registry's base URL: `https://registry.modelcontextprotocol.io`, or a gateway's `/api/registry`. */
  url: string;
  /** OAuth (`@sark/oauth`) where the registry wants a token (the official one's reads are anonymous). */
  auth?: RequestAuthorizer | undefined;
  fetch?: typeof fetch | undefined;
  /** Each request. Default 30 000. */
  timeoutMs?: number | undefined;
}

/** One streamable-HTTP (or SSE) endpoint of a registry entry. */
export interface RegistryRemote {
  readonly type: string;
  readonly url: string;
}

/** One server of the registry: `server.json`'s fields this client reads, and the registry's `_meta`. */
export interface RegistryServerEntry {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly remotes: readonly RegistryRemote[];
  readonly meta: Readonly<Record<string, unknown>>;
}

/** One page of {@link RegistryCatalog.listServers}. */
export interface RegistryPage {
  readonly servers: readonly RegistryServerEntry[];
  /** Pass it as `cursor` for the next page; `null` on the last. */
  readonly nextCursor: string | null;
}

/** Largest answer read. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Most remotes read from one entry. */
const MAX_REMOTES = 16;

/**
 * The official MCP Registry's v0.1 read API, and the registries that copy it (the MCP Gateway Registry serves it at
 * `/api/registry/v0.1`): a catalog of servers and their remote endpoints — `listServers`, `iterateServers`,
 * `getServer`, and `connect(entry)` to a `RemoteServer` on the entry's Streamable HTTP remote. Answers are read up to
 * 8 MiB and checked entry by entry; paging is bounded and a cursor seen twice ends it with a `GatewayProtocolError`.
 */
export class RegistryCatalog {
  readonly #base: string;
  readonly #auth: RequestAuthorizer | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: RegistryCatalogOptions) {
    checkObject(options, 'RegistryCatalog(options)');
    const base = parseGatewayUrl(checkString(options.url, 'url'), 'url');
    this.#base = base.origin + base.basePath;
    checkAuthorizer(options.auth);
    this.#auth = options.auth;
    this.#fetch = checkFunction(options.fetch ?? globalThis.fetch?.bind(globalThis), 'fetch');
    this.#timeoutMs = checkPositive(options.timeoutMs ?? 30_000, 'timeoutMs');
  }

  /** One page of servers (`GET /v0.1/servers`), filtered by a name `search`. */
  async listServers(
    options: { search?: string; cursor?: string; limit?: number; signal?: AbortSignal } = {},
  ): Promise<RegistryPage> {
    checkOptionsObject(options, 'listServers(options)');
    const query = new URLSearchParams();
    if (options.search !== undefined) query.set('search', checkString(options.search, 'search'));
    if (options.cursor !== undefined) query.set('cursor', checkString(options.cursor, 'cursor'));
    if (options.limit !== undefined) query.set('limit', String(checkInteger(options.limit, 'limit', 1)));
    const body = await this.#get(`/v0.1/servers${query.size > 0 ? `?${query}` : ''}`, options.signal);
    if (!isWireObject(body) || !Array.isArray(body['servers'])) {
      throw new GatewayProtocolError({ message: 'GET /v0.1/servers: expected {"servers": [...]}', field: 'servers' });
    }
    const metadata = isWireObject(body['metadata']) ? body['metadata'] : {};
    const next = metadata['nextCursor'];
    return {
      servers: body['servers'].map((item, index) => parseEntry(item, `servers[${index}]`)),
      nextCursor: typeof next === 'string' && next !== '' ? next : null,
    };
  }

  /** Every server, page by page (bounded like every paging of this client). */
  async *iterateServers(
    options: { search?: string; limit?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<RegistryServerEntry> {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let items = 0;
    for (let pages = 0; ; pages++) {
      if (pages >= DEFAULT_PAGING_LIMITS.maxPages) {
        throw new GatewayProtocolError({ message: `The registry had more than ${pages} pages; stopped` });
      }
      const page = await this.listServers({ ...options, ...(cursor === undefined ? {} : { cursor }) });
      for (const server of page.servers) {
        if (++items > DEFAULT_PAGING_LIMITS.maxItems) {
          throw new GatewayProtocolError({ message: `The registry had more than ${items - 1} servers; stopped` });
        }
        yield server;
      }
      if (page.nextCursor === null) return;
      if (seen.has(page.nextCursor)) {
        throw new GatewayProtocolError({
          message: 'The registry sent the same cursor twice: the paging would go round in circles',
          field: 'metadata.nextCursor',
        });
      }
      seen.add(page.nextCursor);
      cursor = page.nextCursor;
    }
  }

  /** One server at a version (default the latest): `GatewayHttpError` 404 when the registry has no such entry. */
  async getServer(
    name: string,
    version = 'latest',
    options: { signal?: AbortSignal } = {},
  ): Promise<RegistryServerEntry> {
    checkString(name, 'getServer(name)');
    checkString(version, 'getServer(version)');
    const path = `/v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
    return parseEntry(await this.#get(path, checkOptionsObject(options, 'getServer(options)').signal), 'server');
  }

  /**
   * A `RemoteServer` on the entry's Streamable HTTP remote (`GatewayConfigError` when it has none). The MCP session
   * code is loaded here, on first use: a browser app that only reads the catalog does not download it.
   */
  async connect(entry: RegistryServerEntry, options: Omit<RemoteServerOptions, 'url'> = {}): Promise<RemoteServer> {
    checkObject(entry, 'connect(entry)');
    const remote = (Array.isArray(entry.remotes) ? entry.remotes : []).find(
      (candidate) => candidate.type === 'streamable-http',
    );
    if (remote === undefined) {
      throw new GatewayConfigError({
        option: 'connect(entry)',
        message: `${String(entry.name).slice(0, 200)} has no streamable-http remote`,
      });
    }
    const checked = checkOptionsObject(options, 'connect(options)');
    const { RemoteServer } = await import('@sark/transport-mcp-http');
    return RemoteServer.connect({ ...checked, url: remote.url });
  }

  #get(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    const settings = { fetch: this.#fetch, timeoutMs: this.#timeoutMs, maxBytes: MAX_BODY_BYTES, auth: this.#auth };
    return fetchJson(this.#base + path, { ...settings, signal });
  }
}

/** One `{ server, _meta }` item, checked: name, version and http(s) remotes. */
function parseEntry(item: unknown, field: string): RegistryServerEntry {
  const server = isWireObject(item) ? item['server'] : undefined;
  if (!isWireObject(server) || typeof server['name'] !== 'string' || typeof server['version'] !== 'string') {
    throw new GatewayProtocolError({ message: `${field}: expected {"server": {"name", "version", …}}`, field });
  }
  const remotes = (Array.isArray(server['remotes']) ? server['remotes'] : [])
    .slice(0, MAX_REMOTES)
    .filter((remote): remote is Record<string, unknown> => isWireObject(remote))
    .filter((remote) => typeof remote['type'] === 'string' && typeof remote['url'] === 'string')
    .filter((remote) => /^https?:\/\//i.test(remote['url'] as string) && URL.canParse(remote['url'] as string))
    .map((remote) => ({ type: remote['type'] as string, url: remote['url'] as string }));
  return Object.freeze({
    name: server['name'],
    description: typeof server['description'] === 'string' ? server['description'] : '',
    version: server['version'],
    remotes: Object.freeze(remotes),
    meta: isWireObject((item as Record<string, unknown>)['_meta'])
      ? ((item as Record<string, unknown>)['_meta'] as Record<string, unknown>)
      : {},
  });
}
