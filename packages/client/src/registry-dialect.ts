import {
  GatewayHttpError,
  PermissionDeniedError,
  jsonObjectSnapshot,
  type InvokeOptions,
  type InvokeResult,
  type ListServersOptions,
  type ListToolsOptions,
  type OperationOptions,
  type Page,
  type ProbeResult,
  type RequestAuthorizer,
  type ServerInfo,
  type ToolInfo,
} from '@sark/core';
import {
  DEFAULT_PAGING_LIMITS,
  credentialFingerprint,
  effectiveLimit,
  loadAllPages,
  requireName,
  type GatewayBase,
} from '@sark/core/internal';
import type { HttpTransport, HttpTransportMetrics } from '@sark/transport-http';
import type { RemoteServer, RemoteServerOptions } from '@sark/transport-mcp-http';
import { bearerToken } from './bearer-token';
import type { GatewayApi } from './gateway-api';
import { asGatewayCredential } from './gateway-credential';
import { McpSessions } from './mcp-sessions';
import { progressOptions, toolPage, toolResult } from './mcp-tool-result';
import {
  callerPath,
  registryIdentity,
  registryServer,
  registryServerPage,
  registryServerTools,
  registryToolCatalog,
  type RegistryIdentity,
} from './registry-wire';

export type { RegistryIdentity } from './registry-wire';

/** The registry's largest page. */
const MAX_REGISTRY_LIMIT = 2000;

/** What the registry dialect is made of. */
export interface RegistryApiParts {
  /** REST requests to the registry: its `auth` is the gateway credential, in `Authorization`; no `X-API-Key`. */
  readonly http: HttpTransport;
  readonly base: GatewayBase;
  /** The gateway credential for the MCP paths (sent there as `X-Authorization`). */
  readonly auth: RequestAuthorizer | undefined;
  /** Per server path, the backend's own credential (the whole `Authorization` value) for its MCP requests. */
  readonly backendCredentials: Readonly<Record<string, string>>;
  readonly openRemote: (options: RemoteServerOptions) => Promise<RemoteServer>;
}

/**
 * The MCP Gateway Registry (WIRE.md §6): servers and tools from its REST catalog under `/api/*` (cached, paged),
 * tools called with MCP `tools/call` on `/{path}/mcp` — one session per server path and credential, kept. The
 * registry has no idempotency keys: the client retries a call only when it cannot have reached a tool.
 */
export class RegistryApi implements GatewayApi {
  readonly #parts: RegistryApiParts;
  readonly #sessions = new McpSessions();
  readonly #mcpUrl: (path: string) => string;

  constructor(parts: RegistryApiParts) {
    this.#parts = parts;
    this.#mcpUrl = (path) => `${parts.base.origin}${parts.base.basePath}${path}/mcp`;
  }

  get sessions(): McpSessions {
    return this.#sessions;
  }

  listServersPage(options: ListServersOptions): Promise<Page<ServerInfo>> {
    const page = options.page ?? 1;
    const limit = Math.min(effectiveLimit(options.pageSize ?? 100), MAX_REGISTRY_LIMIT);
    return this.#serverPage((page - 1) * limit, limit, options);
  }

  async listAllServers(options: Omit<ListServersOptions, 'page'>): Promise<readonly ServerInfo[]> {
    const limit = Math.min(effectiveLimit(options.pageSize ?? 100), MAX_REGISTRY_LIMIT);
    const load = (offset: number, size: number) => this.#serverPage(offset, size, options);
    return Object.freeze(await loadAllPages(load, limit, DEFAULT_PAGING_LIMITS, 'listAllServers'));
  }

  async getServer(
    serverName: string,
    options: OperationOptions & { userToken?: string | undefined },
  ): Promise<ServerInfo> {
    const path = this.#path(serverName, 'getServerInfo: serverName');
    return this.#get(`/api/servers${path}`, {}, (body) => registryServer(body, 'server', this.#mcpUrl), options);
  }

  async listTools(options: ListToolsOptions): Promise<readonly ToolInfo[]> {
    const all = await this.listAllTools(options);
    return toolPage(all, options.page ?? 1, options.pageSize ?? 100);
  }

  /** One server's tools (its live `tools/list`, as the caller may see them), or the whole tool catalog. */
  async listAllTools(options: Omit<ListToolsOptions, 'page'>): Promise<readonly ToolInfo[]> {
    const { maxItems } = DEFAULT_PAGING_LIMITS;
    if (options.serverName === undefined) {
      return this.#get('/api/tool-catalog', {}, (body) => registryToolCatalog(body, maxItems), options);
    }
    const path = this.#path(options.serverName, 'listTools: serverName');
    return this.#get(`/api/servers/tools${path}`, {}, (body) => registryServerTools(body, path, maxItems), options);
  }

  async invoke(options: InvokeOptions): Promise<InvokeResult> {
    const path = this.#path(options.serverName, 'invokeTool: serverName');
    const toolName = requireName(options.toolName, 'invokeTool: toolName');
    const parameters = jsonObjectSnapshot(options.parameters ?? {}, 'invokeTool: parameters');
    const key = `${path}\u0000${credentialFingerprint(undefined, options.userToken)}`;
    const call = progressOptions(options);
    const result = await this.#sessions
      .use(
        key,
        () => this.#open(path, options.userToken),
        (server) => server.callTool(toolName, parameters, call),
      )
      .catch(refusedAsDenied);
    return toolResult(result);
  }

  whoami(options: OperationOptions): Promise<RegistryIdentity> {
    return this.#get('/api/auth/me', {}, registryIdentity, options);
  }

  health(options: OperationOptions): Promise<ProbeResult> {
    return this.#parts.http.health(options);
  }

  clearCache(): void {
    this.#parts.http.clearCache();
  }

  getMetrics(): HttpTransportMetrics {
    return this.#parts.http.getMetrics();
  }

  async close(): Promise<void> {
    await Promise.all([this.#sessions.close(), this.#parts.http.close()]);
  }

  /** A GET of the registry's catalog; its `403` (the caller may not see this) is a `PermissionDeniedError`. */
  #get<T>(
    path: string,
    query: Readonly<Record<string, string | number | undefined>>,
    parse: (body: unknown) => T,
    options: OperationOptions,
  ): Promise<T> {
    return this.#parts.http.getJson(path, query, parse, options).catch(refusedAsDenied);
  }

  #serverPage(offset: number, limit: number, options: ListServersOptions): Promise<Page<ServerInfo>> {
    const query = { limit, offset, include_tools: 'false' };
    return this.#get('/api/servers', query, (body) => registryServerPage(body, offset, this.#mcpUrl), options);
  }

  /** A session on `/{path}/mcp`: the gateway credential (the caller's token, else the client's) in X-Authorization. */
  #open(path: string, userToken: string | undefined): Promise<RemoteServer> {
    const credential = userToken === undefined ? this.#parts.auth : bearerToken(userToken);
    const credentials = this.#parts.backendCredentials;
    const backend = Object.hasOwn(credentials, path) ? credentials[path] : undefined;
    return this.#parts.openRemote({
      url: this.#mcpUrl(path),
      auth: credential && asGatewayCredential(credential),
      headers: backend === undefined ? {} : { authorization: backend },
    });
  }

  #path(serverName: unknown, field: string): string {
    return callerPath(requireName(serverName, field), field);
  }
}

/** The registry's `403`: the caller may not see or use this — a `PermissionDeniedError` (never retried). */
function refusedAsDenied(error: unknown): never {
  if (error instanceof GatewayHttpError && error.status === 403) {
    throw new PermissionDeniedError({
      reason: `the MCP Gateway Registry refused ${error.method} ${error.url} (HTTP 403)`,
      cause: error,
    });
  }
  throw error;
}
