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
import type { GatewayApi, GatewayDialect } from './gateway-api';
import { SseTransport } from '@sark/transport-sse';
import type { LocalServerManager } from '@sark/transport-stdio';
import type { RemoteServerLoader } from './remote-servers';
import { CLIENT_DEFAULTS } from './client-defaults';
import type { GatewayClientOptions } from './options';

/** The dialects module (`./dialects`): loaded on first use in browsers. */
export type Dialects = typeof import('./dialects');

/**
 * What differs between the Node and the browser client: local servers (Node only), and how RemoteServer and the
 * dialects besides 'sark' are loaded.
 */
export interface PlatformParts {
  readonly createLocalServers: (() => LocalServerManager) | null;
  readonly loadRemoteServer: RemoteServerLoader;
  readonly loadDialects: () => Promise<Dialects>;
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
  #pending: Promise<GatewayApi> | null = null;
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
   * The gateway API of the client's dialect, made on first use: at once for `'sark'`; otherwise a promise the first
   * time (the dialect's code is loaded, and with `'auto'` the gateway asked — once, shared by every call waiting; a
   * failure is tried again by the next call).
   */
  api(): GatewayApi | Promise<GatewayApi> {
    this.#check('http');
    if (this.#http) return this.#http;
    if (this.#dialect === 'sark') return (this.#http = this.#sarkApi());
    this.#pending ??= this.#resolve().then(
      (api) => {
        if (this.#closed) {
          void api.close();
          throw new ClientClosedError({ message: 'The gateway client is closed' });
        }
        return (this.#http ??= api);
      },
      (error: unknown) => {
        this.#pending = null;
        throw error;
      },
    );
    return this.#pending;
  }

  async #resolve(): Promise<GatewayApi> {
    const { gatewayUrl } = this.#common('HTTP');
    const dialects = await this.#platform.loadDialects();
    const fetchImpl = this.#options.fetch ?? globalThis.fetch.bind(globalThis);
    const dialect =
      this.#dialect ??
      (await dialects.probeDialect(parseGatewayUrl(gatewayUrl), { fetch: fetchImpl, timeoutMs: this.#timeoutMs() }));
    this.#dialect = dialect;
    return dialect === 'sark' ? this.#sarkApi() : this.#make(dialect, dialects);
  }

  #make(dialect: Exclude<GatewayDialect, 'sark'>, dialects: Dialects): GatewayApi {
    const { gatewayUrl, apiKey } = this.#common('HTTP');
    const openRemote = async (options: RemoteServerOptions): Promise<RemoteServer> => {
      const RemoteServer = await this.#platform.loadRemoteServer();
      const { fetch, telemetry } = this.#options;
      return RemoteServer.connect({ telemetry, ...options, fetch, logger: this.#logger });
    };
    if (dialect === 'mcp') {
      return new dialects.McpApi({
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
    return new dialects.RegistryApi({
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
      auth: this.#options.auth,
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
