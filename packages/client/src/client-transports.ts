import { Telemetry } from '@sark/core/internal';
import { RemoteServers } from './remote-servers';
import {
  ClientClosedError,
  GatewayConfigError,
  TransportMode,
  TransportNotAvailableError,
  type Logger,
} from '@sark/core';
import { HttpTransport } from '@sark/transport-http';
import type { RemoteServer, RemoteServerOptions } from '@sark/transport-mcp-http';
import { parseGatewayUrl } from '@sark/core/internal';
import { bearerToken } from './bearer-token';
import { probeDialect } from './dialect-probe';
import type { GatewayApi, GatewayDialect } from './gateway-api';
import { McpApi } from './mcp-dialect';
import { RegistryApi } from './registry-dialect';
import { SseTransport } from '@sark/transport-sse';
import type { LocalServerManager } from '@sark/transport-stdio';
import type { RemoteServerLoader } from './remote-servers';
import { CLIENT_DEFAULTS } from './client-defaults';
import type { GatewayClientOptions } from './options';

/** What differs between the Node and the browser client: local servers (Node only) and how RemoteServer is loaded. */
export interface PlatformParts {
  readonly createLocalServers: (() => LocalServerManager) | null;
  readonly loadRemoteServer: RemoteServerLoader;
}

/** The transports a client can use. */
export type TransportKind = 'http' | 'sse' | 'stdio';

const ALLOWED: Record<TransportMode, readonly TransportKind[]> = {
  [TransportMode.AUTO]: ['http', 'sse', 'stdio'],
  [TransportMode.HTTP_ONLY]: ['http'],
  [TransportMode.SSE_ONLY]: ['sse'],
  [TransportMode.STDIO_ONLY]: ['stdio'],
};

/**
 * A client's transports: each made on first use, once, if the transport mode (and the runtime) allows it — the AUTO
 * mode's routing — and all closed together.
 */
export class ClientTransports {
  readonly mode: TransportMode;
  /** The client's telemetry (null without `options.telemetry`). */
  readonly telemetry: Telemetry | null;
  readonly #options: GatewayClientOptions;
  readonly #logger: Logger;
  readonly #platform: PlatformParts;
  #http: GatewayApi | null = null;
  /** The gateway's API, null while `'auto'` has not asked the gateway. */
  #dialect: GatewayDialect | null;
  #probing: Promise<GatewayApi> | null = null;
  #sse: SseTransport | null = null;
  #stdio: LocalServerManager | null = null;
  #remote: RemoteServers | null = null;
  #closed = false;

  constructor(options: GatewayClientOptions, logger: Logger, platform: PlatformParts) {
    this.mode = options.transportMode ?? CLIENT_DEFAULTS.transportMode;
    if (!Object.hasOwn(ALLOWED, this.mode)) {
      throw new GatewayConfigError({
        option: 'transportMode',
        message: `"${String(this.mode)}" is not one of ${Object.values(TransportMode).join(', ')}`,
      });
    }
    this.#options = options;
    this.#dialect = options.dialect === 'auto' ? null : (options.dialect ?? 'sark');
    this.#logger = logger;
    this.telemetry = options.telemetry ? new Telemetry(options.telemetry, '@sark/gateway', options.gatewayUrl) : null;
    this.#platform = platform;
  }

  allowed(kind: TransportKind): boolean {
    return ALLOWED[this.mode].includes(kind);
  }

  /** The transports made so far, in the order of `ClientMetrics.activeTransports`. */
  get active(): {
    readonly http: GatewayApi | null;
    readonly sse: SseTransport | null;
    readonly stdio: LocalServerManager | null;
    readonly remote: RemoteServers | null;
  } {
    return { http: this.#http, sse: this.#sse, stdio: this.#stdio, remote: this.#remote };
  }

  /** Remote MCP servers over Streamable HTTP: an HTTP transport, so AUTO and HTTP_ONLY allow them. */
  remote(): RemoteServers {
    this.#check('http');
    this.#remote ??= new RemoteServers(
      this.#options,
      this.#logger,
      this.#platform.loadRemoteServer,
      () => this.#dialect,
    );
    return this.#remote;
  }

  /** The gateway's API, or null while `'auto'` has not asked the gateway which it is. */
  get dialect(): GatewayDialect | null {
    return this.#dialect;
  }

  /**
   * The gateway API of the client's dialect, made on first use. With `'auto'`, a promise until the gateway has been
   * asked — once, shared by every call waiting; a failed probe is asked again by the next call.
   */
  api(): GatewayApi | Promise<GatewayApi> {
    this.#check('http');
    if (this.#http) return this.#http;
    const dialect = this.#dialect;
    if (dialect !== null) return (this.#http = this.#make(dialect));
    this.#probing ??= this.#probe().then(
      (found) => {
        this.#check('http');
        this.#dialect = found;
        return (this.#http ??= this.#make(found));
      },
      (error: unknown) => {
        this.#probing = null;
        throw error;
      },
    );
    return this.#probing;
  }

  #probe(): Promise<GatewayDialect> {
    try {
      const { gatewayUrl } = this.#common('HTTP');
      const fetchImpl = this.#options.fetch ?? globalThis.fetch.bind(globalThis);
      return probeDialect(parseGatewayUrl(gatewayUrl), { fetch: fetchImpl, timeoutMs: this.#timeoutMs() });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #make(dialect: GatewayDialect): GatewayApi {
    if (dialect === 'sark') return this.#sarkApi();
    const { gatewayUrl, apiKey } = this.#common('HTTP');
    const openRemote = async (options: RemoteServerOptions): Promise<RemoteServer> => {
      const RemoteServer = await this.#platform.loadRemoteServer();
      const { fetch, telemetry } = this.#options;
      return RemoteServer.connect({ telemetry, ...options, fetch, logger: this.#logger });
    };
    if (dialect === 'mcp') {
      return new McpApi({
        url: gatewayUrl,
        auth: this.#options.auth,
        headers: apiKey === undefined ? {} : { 'x-api-key': apiKey },
        split: this.#options.toolNameSeparator ?? '__',
        cache: this.#options.cache,
        openRemote,
      });
    }
    // The registry's credential is a bearer token: the client's OAuth, else its key (never sent as X-API-Key).
    const auth = this.#options.auth ?? (apiKey === undefined ? undefined : bearerToken(apiKey));
    return new RegistryApi({
      http: this.#httpTransport(undefined, auth),
      base: parseGatewayUrl(gatewayUrl),
      auth,
      backendCredentials: this.#options.backendCredentials ?? {},
      openRemote,
    });
  }

  #sarkApi(): GatewayApi {
    return this.#httpTransport(this.#options.apiKey, this.#options.auth);
  }

  #httpTransport(apiKey: string | undefined, auth: GatewayClientOptions['auth']): HttpTransport {
    return new HttpTransport({
      ...this.#common('HTTP'),
      apiKey,
      timeoutMs: this.#timeoutMs(),
      cache: this.#options.cache,
      auth,
      requestHeaders: this.telemetry ? () => (this.telemetry as Telemetry).traceHeaders() : undefined,
    });
  }

  sse(): SseTransport {
    this.#check('sse');
    if (this.#dialect !== null && this.#dialect !== 'sark') {
      throw new TransportNotAvailableError({
        transport: 'sse',
        message: `The ${this.#dialect} gateway API has no event stream (dialect "${this.#dialect}")`,
      });
    }
    this.#sse ??= new SseTransport({
      ...this.#common('SSE'),
      idleTimeoutMs: 2 * this.#timeoutMs(),
      requestHeaders: this.telemetry ? () => (this.telemetry as Telemetry).traceHeaders() : undefined,
    });
    return this.#sse;
  }

  stdio(): LocalServerManager {
    this.#check('stdio');
    if (!this.#platform.createLocalServers) {
      throw new TransportNotAvailableError({
        transport: 'stdio',
        message: 'Local (stdio) servers need Node.js; this is the browser/edge build of @sark/gateway',
      });
    }
    this.#stdio ??= this.#platform.createLocalServers();
    return this.#stdio;
  }

  /** Closes every transport made so far; later requests for one throw `ClientClosedError`. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#http?.close(), this.#sse?.close(), this.#stdio?.close(), this.#remote?.close()]);
  }

  #check(kind: TransportKind): void {
    if (this.#closed) throw new ClientClosedError({ message: 'The gateway client is closed' });
    if (!this.allowed(kind)) {
      throw new TransportNotAvailableError({
        transport: kind,
        message: `The ${kind} transport is not available in transportMode "${this.mode}"`,
      });
    }
  }

  #timeoutMs(): number {
    return this.#options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs;
  }

  #common(kind: 'HTTP' | 'SSE') {
    const { gatewayUrl, apiKey, fetch } = this.#options;
    if (gatewayUrl === undefined)
      throw new GatewayConfigError({ message: `gatewayUrl is required for ${kind} operations` });
    return {
      gatewayUrl,
      apiKey,
      fetch,
      maxConnections: this.#options.maxConnections ?? CLIENT_DEFAULTS.maxConnections,
      logger: this.#logger,
    };
  }
}
