import {
  ClientClosedError,
  GatewayConfigError,
  GatewayHttpError,
  GatewayProtocolError,
  TimeoutError,
  holdSecret,
  jsonObjectSnapshot,
  parseServerInfo,
  parseServerPage,
  parseToolPage,
  redactingLogger,
  silentLogger,
  type GatewayRequestTransport,
  type InvokeOptions,
  type InvokeResult,
  type ListServersOptions,
  type ListToolsOptions,
  type Logger,
  type OperationOptions,
  type Page,
  type ProbeResult,
  type RequestAuthorizer,
  type ServerInfo,
  type ToolInfo,
} from '@sark/core';
import {
  DEFAULT_PAGING_LIMITS,
  RequestScope,
  addCheckedHeaders,
  checkAuthorizer,
  checkHeaderValue,
  checkInteger,
  checkObject,
  checkOptionsObject,
  checkPositive,
  checkedPath,
  credentialFingerprint,
  effectiveLimit,
  holdSecretHeaders,
  isWireObject,
  iteratePages,
  loadAllPages,
  parseGatewayUrl,
  parseJson,
  parseRetryAfter,
  pathSegment,
  queryString,
  redirectStep,
  requireName,
  type GatewayBase,
  type PageLoader,
  type PagingLimits,
} from '@sark/core/internal';
import { gatewayHeaders } from './headers';
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from './http-client';
import { ResponseCache, type ResponseCacheMetrics, type ResponseCacheOptions } from './response-cache';
import { VERSION } from './version';

/** Options of an {@link HttpTransport}. */
export interface HttpTransportOptions {
  /** The gateway's base URL, http or https. */
  gatewayUrl: string;
  /** Sent as `X-API-Key`. */
  apiKey?: string | undefined;
  /** Default deadline per request. Default 30 000. */
  timeoutMs?: number | undefined;
  /** Connections in the undici pool (Node). Default 50. */
  maxConnections?: number | undefined;
  cache?: ResponseCacheOptions | undefined;
  /** Larger responses are aborted with `GatewayProtocolError`. Default 32 MiB. */
  maxResponseBytes?: number | undefined;
  /** Use this fetch instead of undici (Node) or the global fetch (elsewhere). */
  fetch?: typeof fetch | undefined;
  /** Extra headers on every request (validated; CR/LF refused). */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Headers made for each request as it is sent, e.g. OpenTelemetry's `traceparent` for the current trace. They are
   * checked like the others (a bad one is a `GatewayConfigError`) and never part of a cache key.
   */
  requestHeaders?: (() => Readonly<Record<string, string>>) | undefined;
  /**
   * OAuth for the gateway's REST API: an `OAuthClient` (`@sark/oauth`) whose headers go with every request; a `401`
   * or `403` it resolves sends the request again (at most 3 times).
   */
  auth?: RequestAuthorizer | undefined;
  /** Default `sark-gateway-js/<version>`. */
  userAgent?: string | undefined;
  /** Pages one "all" or iterating operation may load; more is a `GatewayProtocolError`. Default 10 000. */
  maxPages?: number | undefined;
  /** Items one "all" or iterating operation may collect; more is a `GatewayProtocolError`. Default 1 000 000. */
  maxItems?: number | undefined;
  logger?: Logger | undefined;
}

/** Counters of an {@link HttpTransport}. */
export interface HttpTransportMetrics extends ResponseCacheMetrics {
  /** Requests sent to the gateway (cache hits excluded). */
  readonly requests: number;
  readonly inFlight: number;
  /** Requests that ended in an error of any kind. */
  readonly errors: number;
}

type ClientFactory = (origin: string, options: HttpClientOptions) => HttpClient;

const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * The gateway's REST API (WIRE.md §1): discovery with pagination and a response cache, tool invocation, health.
 * It never retries (the umbrella client owns the one retry layer). Under Node it speaks through an undici `Pool`;
 * elsewhere through `fetch` — the package's export conditions pick the entry.
 */
export class HttpTransportCore implements GatewayRequestTransport {
  readonly #base: GatewayBase;
  readonly #client: HttpClient;
  readonly #cache: ResponseCache;
  readonly #logger: Logger;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #requestHeaders: (() => Readonly<Record<string, string>>) | undefined;
  readonly #auth: RequestAuthorizer | undefined;
  readonly #maxResponseBytes: number;
  readonly #paging: PagingLimits;
  readonly #baseHeaders: Readonly<Record<string, string>>;
  readonly #scopes = new Set<RequestScope>();
  /** Releases the API key and secret-named `headers`, held for redaction until `close()`. */
  readonly #releaseSecrets: (() => void)[];
  #closed = false;
  #requests = 0;
  #errors = 0;

  protected constructor(value: HttpTransportOptions, createClient: ClientFactory) {
    const options = checkOptionsObject(value, 'HttpTransport: options');
    this.#base = parseGatewayUrl(options.gatewayUrl);
    this.#apiKey = options.apiKey;
    this.#timeoutMs = checkPositive(options.timeoutMs ?? 30_000, 'timeoutMs');
    this.#maxResponseBytes = checkInteger(
      options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      'maxResponseBytes',
      1,
    );
    this.#paging = {
      maxPages: checkInteger(options.maxPages ?? DEFAULT_PAGING_LIMITS.maxPages, 'maxPages', 1),
      maxItems: checkInteger(options.maxItems ?? DEFAULT_PAGING_LIMITS.maxItems, 'maxItems', 1),
    };
    this.#requestHeaders = options.requestHeaders;
    this.#auth = checkAuthorizer(options.auth);
    const maxConnections = checkInteger(options.maxConnections ?? 50, 'maxConnections', 1);
    this.#cache = new ResponseCache(options.cache);
    this.#logger = redactingLogger(options.logger ?? silentLogger);
    this.#baseHeaders = gatewayHeaders(
      {
        accept: 'application/json',
        'user-agent': checkHeaderValue('User-Agent', options.userAgent ?? `sark-gateway-js/${VERSION}`),
      },
      { apiKey: options.apiKey },
      options.headers,
    );
    this.#client = createClient(this.#base.origin, { maxConnections, fetch: options.fetch });
    // Last: only a transport that was made holds its key.
    this.#releaseSecrets = [holdSecret(options.apiKey), ...holdSecretHeaders(options.headers ?? {})];
  }

  /** One page of servers (`page` from 1, `pageSize` capped at 1000). Cached. */
  async listServers(options: ListServersOptions = {}): Promise<readonly ServerInfo[]> {
    return (await this.listServersPage(options)).items;
  }

  /** One page of servers with the `total` the gateway reported (null when it gave none). Cached. */
  listServersPage(options: ListServersOptions = {}): Promise<Page<ServerInfo>> {
    const { page, pageSize } = pageOptions(options, 'listServers');
    return this.#serverPage((page - 1) * effectiveLimit(pageSize), effectiveLimit(pageSize), options);
  }

  /** Every server, following pages (concurrently once the gateway reports `total`). */
  listAllServers(options: Omit<ListServersOptions, 'page'> = {}): Promise<readonly ServerInfo[]> {
    return this.#loadAll('listAllServers', options, (offset, limit) => this.#serverPage(offset, limit, options));
  }

  /** Servers one page at a time, for very large registries. */
  iterateServers(options: Omit<ListServersOptions, 'page'> = {}): AsyncIterable<ServerInfo> {
    return this.#iterate('iterateServers', options, (offset, limit) => this.#serverPage(offset, limit, options));
  }

  /** One server by name; `GatewayHttpError` with status 404 when unknown. Cached. */
  async getServer(
    serverName: string,
    options: OperationOptions & { userToken?: string | undefined } = {},
  ): Promise<ServerInfo> {
    const path = `/api/v1/servers/${pathSegment(serverName, 'getServer: serverName')}`;
    return this.#cachedGet(path, options, (body) => parseServerInfo(body));
  }

  /** One page of tools, optionally of one server. Cached. */
  async listTools(options: ListToolsOptions = {}): Promise<readonly ToolInfo[]> {
    const { page, pageSize } = pageOptions(options, 'listTools');
    return (await this.#toolPage((page - 1) * effectiveLimit(pageSize), effectiveLimit(pageSize), options)).items;
  }

  listAllTools(options: Omit<ListToolsOptions, 'page'> = {}): Promise<readonly ToolInfo[]> {
    return this.#loadAll('listAllTools', options, (offset, limit) => this.#toolPage(offset, limit, options));
  }

  iterateTools(options: Omit<ListToolsOptions, 'page'> = {}): AsyncIterable<ToolInfo> {
    return this.#iterate('iterateTools', options, (offset, limit) => this.#toolPage(offset, limit, options));
  }

  /**
   * A cached GET of any JSON resource below the gateway URL — for the gateway APIs this transport has no method of its
   * own for (another gateway's catalog). `path` must stay below the gateway (see `checkedPath`: no `..`, `%`, `?`,
   * `#`); `query` is encoded here; `parse` checks the body (throw `GatewayProtocolError`). An HTML answer where JSON
   * was expected (a web UI's catch-all) is a `GatewayProtocolError` that says so.
   */
  getJson<T>(
    path: string,
    query: Readonly<Record<string, string | number | undefined>>,
    parse: (body: unknown) => T,
    options: OperationOptions = {},
  ): Promise<T> {
    try {
      const target = checkedPath(path, 'getJson(path)') + queryString(query);
      return this.#cachedGet(target, options, parse);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `POST /api/v1/invoke`. Sends `Idempotency-Key` (the given one, else a new UUID) so that a retry with the same key
   * is never executed twice by a gateway that honours it. Never cached; resolves with the gateway's JSON object.
   * `parameters` must be JSON data (see `jsonSnapshot`): anything else is a `GatewayConfigError` and nothing is sent.
   */
  async invoke(options: InvokeOptions): Promise<InvokeResult> {
    checkObject(options, 'invoke(options)');
    const serverName = requireName(options.serverName, 'invoke: serverName');
    const toolName = requireName(options.toolName, 'invoke: toolName');
    const parameters = jsonObjectSnapshot(options.parameters ?? {}, 'invoke: parameters');
    const body = JSON.stringify({ server: serverName, tool: toolName, parameters });
    const headers = gatewayHeaders(this.#baseHeaders, { userToken: options.userToken });
    headers['content-type'] = 'application/json';
    headers['idempotency-key'] =
      options.idempotencyKey === undefined
        ? crypto.randomUUID()
        : checkHeaderValue('Idempotency-Key', options.idempotencyKey);
    const release = holdSecret(options.userToken);
    try {
      const response = await this.#send({ method: 'POST', path: '/api/v1/invoke', headers, body }, options);
      const result = parseJson(response.body, 'POST /api/v1/invoke');
      if (!isWireObject(result))
        throw new GatewayProtocolError({ message: 'POST /api/v1/invoke: expected a JSON object' });
      return result as InvokeResult;
    } finally {
      release();
    }
  }

  /** `GET /health`, uncached; never throws: an unhealthy or unreachable gateway is a result with `healthy: false`. */
  async health(options: OperationOptions = {}): Promise<ProbeResult> {
    const started = now();
    try {
      const response = await this.#send({ method: 'GET', path: '/health', headers: this.#baseHeaders }, options);
      const body = parseJson(response.body, 'GET /health');
      const status = isWireObject(body) ? body['status'] : undefined;
      const latencyMs = now() - started;
      if (status === 'healthy') return { healthy: true, latencyMs };
      return { healthy: false, latencyMs, error: `gateway reports status ${JSON.stringify(status ?? null)}` };
    } catch (error) {
      if (error instanceof ClientClosedError) throw error;
      return {
        healthy: false,
        latencyMs: now() - started,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  clearCache(): void {
    this.#cache.clear();
  }

  getMetrics(): HttpTransportMetrics {
    return { ...this.#cache.getMetrics(), requests: this.#requests, inFlight: this.#scopes.size, errors: this.#errors };
  }

  /**
   * Aborts in-flight requests and closes the connection pool. Idempotent; later calls reject with `ClientClosedError`.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new ClientClosedError({ message: 'The HTTP transport is closed' });
    for (const scope of this.#scopes) scope.abort(closed);
    await this.#client.close();
    for (const release of this.#releaseSecrets) release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Every item, following pages under this transport's paging limits. */
  async #loadAll<T>(operation: string, options: PageOptions, load: PageLoader<T>): Promise<readonly T[]> {
    const { pageSize } = pageOptions(options, operation);
    return Object.freeze(await loadAllPages(load, pageSize, this.#paging, operation));
  }

  /** The items page by page, under this transport's paging limits. */
  #iterate<T>(operation: string, options: PageOptions, load: PageLoader<T>): AsyncIterable<T> {
    const { pageSize } = pageOptions(options, operation);
    return iteratePages(load, pageSize, this.#paging, operation);
  }

  #serverPage(offset: number, limit: number, options: ListServersOptions): Promise<Page<ServerInfo>> {
    return this.#cachedGet(`/api/v1/servers${queryString({ offset, limit })}`, options, parseServerPage);
  }

  #toolPage(offset: number, limit: number, options: ListToolsOptions): Promise<Page<ToolInfo>> {
    const server =
      options.serverName === undefined ? undefined : requireName(options.serverName, 'listTools: serverName');
    return this.#cachedGet(`/api/v1/tools${queryString({ offset, limit, server })}`, options, parseToolPage);
  }

  async #cachedGet<T>(
    path: string,
    options: OperationOptions & { userToken?: string | undefined },
    parse: (body: unknown) => T,
  ): Promise<T> {
    if (this.#closed) throw new ClientClosedError({ message: 'The HTTP transport is closed' });
    const headers =
      options.userToken === undefined
        ? this.#baseHeaders
        : gatewayHeaders(this.#baseHeaders, { userToken: options.userToken });
    const key = `GET ${path} ${credentialFingerprint(this.#apiKey, options.userToken)}`;
    const load = (): Promise<T> =>
      this.#cache.get(
        key,
        async (signal) => {
          const response = await this.#send({ method: 'GET', path, headers }, { ...options, signal });
          return parse(parseJson(response.body, `GET ${path}`));
        },
        options.signal,
      );
    if (options.userToken === undefined) return load();
    const release = holdSecret(options.userToken);
    try {
      return await load();
    } finally {
      release();
    }
  }

  async #send(
    request: Omit<HttpRequest, 'url' | 'maxResponseBytes'>,
    options: OperationOptions,
  ): Promise<HttpResponse> {
    if (this.#closed) throw new ClientClosedError({ message: 'The HTTP transport is closed' });
    const path = this.#base.basePath + request.path;
    const headers = this.#requestHeaders
      ? withRequestHeaders(request.headers, this.#requestHeaders())
      : request.headers;
    // Built field by field: an object spread here measurably slowed every request (bench/http).
    let current: HttpRequest =
      request.body === undefined
        ? {
            method: request.method,
            path,
            url: this.#base.origin + path,
            headers,
            maxResponseBytes: this.#maxResponseBytes,
          }
        : {
            method: request.method,
            path,
            url: this.#base.origin + path,
            headers,
            body: request.body,
            maxResponseBytes: this.#maxResponseBytes,
          };
    const timeoutMs = options.timeoutMs === undefined ? this.#timeoutMs : checkPositive(options.timeoutMs, 'timeoutMs');
    const scope = new RequestScope(timeoutMs, options.signal);
    this.#scopes.add(scope);
    this.#requests++;
    try {
      for (let redirects = 0, authorizations = 0; ; redirects++) {
        if (scope.aborted) throw scope.reason;
        const auth = this.#auth;
        const sent = auth && (await auth.headers({ url: current.url, method: current.method, signal: options.signal }));
        const request = sent ? { ...current, headers: addCheckedHeaders({ ...current.headers }, sent) } : current;
        const response = await this.#client.send(request, scope);
        if (response.status >= 200 && response.status < 300) return response;
        if (
          auth &&
          (response.status === 401 || response.status === 403) &&
          authorizations++ < 3 &&
          (await auth.refused(
            { url: current.url, method: current.method, signal: options.signal },
            { status: response.status, headers: { get: (name) => response.header(name) ?? null }, sent },
          ))
        ) {
          redirects--;
          continue;
        }
        const next = this.#redirectTarget(current, response, redirects);
        if (next === null) throw httpError(current, response);
        current = next;
      }
    } catch (error) {
      this.#errors++;
      if (error instanceof TimeoutError)
        this.#logger.warn({ method: current.method, path: current.path, timeoutMs }, 'gateway request timed out');
      throw error;
    } finally {
      scope.dispose();
      this.#scopes.delete(scope);
    }
  }

  /** The same-origin request a redirect leads to, null when the answer is no redirect; a refused one throws. */
  #redirectTarget(request: HttpRequest, response: HttpResponse, redirects: number): HttpRequest | null {
    const step = redirectStep(
      { method: request.method, url: request.url, origin: this.#base.origin, redirects },
      response.status,
      response.header('location'),
    );
    if (step === null) return null;
    if ('refused' in step) {
      this.#logger.warn({ status: response.status }, 'refused a redirect from the gateway');
      throw httpError(request, response, step.refused);
    }
    const target = new URL(step.url);
    return { ...request, url: step.url, path: target.pathname + target.search };
  }
}

function httpError(request: HttpRequest, response: HttpResponse, why?: string): GatewayHttpError {
  return new GatewayHttpError({
    status: response.status,
    method: request.method,
    url: request.url,
    body: response.body,
    bodyTruncated: response.bodyTruncated === true,
    retryAfterMs: parseRetryAfter(response.header('retry-after')),
    message:
      `${request.method} ${request.path} failed with HTTP ` +
      `${response.status}${why === undefined ? '' : `: ${why}`}`,
  });
}

/** Paging as callers give it. */
type PageOptions = { page?: number | undefined; pageSize?: number | undefined };

function pageOptions(options: PageOptions, operation: string): { page: number; pageSize: number } {
  const page = options.page ?? 1;
  const pageSize = options.pageSize ?? 100;
  if (!Number.isSafeInteger(page) || page < 1)
    throw new GatewayConfigError({ option: operation, message: 'page must be an integer ≥ 1' });
  if (!Number.isSafeInteger(pageSize) || pageSize < 1)
    throw new GatewayConfigError({ option: operation, message: 'pageSize must be an integer ≥ 1' });
  return { page, pageSize };
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

/** `base` plus headers made for one request, each checked; the base object is never changed. */
function withRequestHeaders(
  base: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  const entries = Object.entries(extra);
  // Nothing to add (no trace, or no propagator registered): the prepared headers are used as they are.
  if (entries.length === 0) return base;
  return addCheckedHeaders({ ...base }, extra);
}
