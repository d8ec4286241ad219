import {
  GatewayConfigError,
  GatewayHttpError,
  GatewayProtocolError,
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
  parametersFromSchema,
  requireName,
  sensitiveParameterNames,
} from '@sark/core/internal';
import { ResponseCache, type HttpTransportMetrics, type ResponseCacheOptions } from '@sark/transport-http';
import type { McpTool, RemoteServer, RemoteServerOptions } from '@sark/transport-mcp-http';
import { bearerToken } from './bearer-token';
import type { GatewayApi } from './gateway-api';
import { McpSessions } from './mcp-sessions';
import { progressOptions, toolPage, toolResult } from './mcp-tool-result';

/** How an aggregated gateway's tool names split into a server and a tool: a separator (default `__`) or a function. */
export type ToolNameSplit = string | ((prefixedName: string) => { serverName: string; toolName: string } | null);

/** What the `'mcp'` dialect is made of. */
export interface McpApiParts {
  /** The aggregated MCP endpoint (the client's `gatewayUrl`). */
  readonly url: string;
  readonly auth: RequestAuthorizer | undefined;
  /** Headers of every request (`X-API-Key` where the client has one). */
  readonly headers: Readonly<Record<string, string>>;
  readonly split: ToolNameSplit;
  readonly cache: ResponseCacheOptions | undefined;
  readonly openRemote: (options: RemoteServerOptions) => Promise<RemoteServer>;
}

/** The gateway's tools by their server, and each (server, tool) pair's name on the gateway. */
interface Catalog {
  readonly tools: readonly ToolInfo[];
  readonly servers: readonly ServerInfo[];
  readonly names: ReadonlyMap<string, string>;
}

/**
 * One aggregated MCP endpoint (Docker MCP Gateway, Envoy AI Gateway, Kuadrant, agentgateway — WIRE.md §6): its
 * `tools/list` (every page) is the catalog, cached like REST discovery; servers are the tool names' prefixes
 * (`github__create_issue` is `create_issue` of `github`); `invokeTool` calls the prefixed tool.
 */
export class McpApi implements GatewayApi {
  readonly #parts: McpApiParts;
  readonly #sessions = new McpSessions();
  readonly #cache: ResponseCache;
  #requests = 0;
  #inFlight = 0;
  #errors = 0;

  constructor(parts: McpApiParts) {
    if (typeof parts.split === 'string' && parts.split === '') {
      throw new GatewayConfigError({ option: 'toolNameSeparator', message: 'must not be empty' });
    }
    this.#parts = parts;
    this.#cache = new ResponseCache(parts.cache);
  }

  get sessions(): McpSessions {
    return this.#sessions;
  }

  async listServersPage(options: ListServersOptions): Promise<Page<ServerInfo>> {
    const { servers } = await this.#catalog(options);
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? 100;
    const items = toolPage(servers, page, pageSize);
    return Object.freeze({ items, total: servers.length });
  }

  async listAllServers(options: Omit<ListServersOptions, 'page'>): Promise<readonly ServerInfo[]> {
    return (await this.#catalog(options)).servers;
  }

  async getServer(
    serverName: string,
    options: OperationOptions & { userToken?: string | undefined },
  ): Promise<ServerInfo> {
    const name = requireName(serverName, 'getServerInfo: serverName');
    const found = (await this.#catalog(options)).servers.find((server) => server.serverName === name);
    if (found) return found;
    throw new GatewayHttpError({
      status: 404,
      method: 'POST',
      url: this.#parts.url,
      message: `No tool of the MCP gateway belongs to a server named ${JSON.stringify(name.slice(0, 80))}`,
    });
  }

  async listTools(options: ListToolsOptions): Promise<readonly ToolInfo[]> {
    return toolPage(await this.listAllTools(options), options.page ?? 1, options.pageSize ?? 100);
  }

  async listAllTools(options: Omit<ListToolsOptions, 'page'>): Promise<readonly ToolInfo[]> {
    const { tools } = await this.#catalog(options);
    if (options.serverName === undefined) return tools;
    const server = requireName(options.serverName, 'listTools: serverName');
    return Object.freeze(tools.filter((tool) => tool.serverName === server));
  }

  async invoke(options: InvokeOptions): Promise<InvokeResult> {
    const serverName = requireName(options.serverName, 'invokeTool: serverName');
    const toolName = requireName(options.toolName, 'invokeTool: toolName');
    const parameters = jsonObjectSnapshot(options.parameters ?? {}, 'invokeTool: parameters');
    const name = await this.#gatewayName(serverName, toolName, options);
    const call = progressOptions(options);
    return toolResult(await this.#counted(options.userToken, (server) => server.callTool(name, parameters, call)));
  }

  /** An MCP `ping` round trip; never rejects. */
  async health(options: OperationOptions): Promise<ProbeResult> {
    const started = performance.now();
    try {
      const request = { signal: options.signal, timeoutMs: options.timeoutMs };
      await this.#counted(undefined, (server) => server.sendRequest('ping', undefined, request));
      return { healthy: true, latencyMs: performance.now() - started };
    } catch (error) {
      return {
        healthy: false,
        latencyMs: performance.now() - started,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  clearCache(): void {
    this.#cache.clear();
  }

  getMetrics(): HttpTransportMetrics {
    return { ...this.#cache.getMetrics(), requests: this.#requests, inFlight: this.#inFlight, errors: this.#errors };
  }

  async close(): Promise<void> {
    await this.#sessions.close();
  }

  /** The tool's name on the gateway: as listed, else joined with the separator. */
  async #gatewayName(
    serverName: string,
    toolName: string,
    options: OperationOptions & { userToken?: string | undefined },
  ) {
    const listed = (await this.#catalog(options)).names.get(`${serverName}\u0000${toolName}`);
    if (listed !== undefined) return listed;
    const { split } = this.#parts;
    if (typeof split === 'string') return `${serverName}${split}${toolName}`;
    throw new GatewayConfigError({
      option: 'invokeTool',
      message:
        `the MCP gateway lists no tool ${JSON.stringify(toolName.slice(0, 80))} ` +
        `of ${JSON.stringify(serverName.slice(0, 80))}`,
    });
  }

  #catalog(options: OperationOptions & { userToken?: string | undefined }): Promise<Catalog> {
    const key = `tools/list ${credentialFingerprint(undefined, options.userToken)}`;
    return this.#cache.get(
      key,
      async (signal) => {
        const request = { signal, timeoutMs: options.timeoutMs };
        let gatewayName = 'mcp';
        const tools = await this.#counted(options.userToken, (server) => {
          gatewayName = server.serverInfo?.name || gatewayName;
          return server.listTools(request);
        });
        return this.#catalogOf(tools, gatewayName);
      },
      options.signal,
    );
  }

  #catalogOf(listed: readonly McpTool[], gatewayName: string): Catalog {
    if (listed.length > DEFAULT_PAGING_LIMITS.maxItems) {
      throw new GatewayProtocolError({
        message: `the MCP gateway lists more than ${DEFAULT_PAGING_LIMITS.maxItems} tools`,
      });
    }
    const names = new Map<string, string>();
    const counts = new Map<string, number>();
    const tools = listed.map((tool) => {
      const { serverName, toolName } = this.#split(tool.name) ?? { serverName: gatewayName, toolName: tool.name };
      names.set(`${serverName}\u0000${toolName}`, tool.name);
      counts.set(serverName, (counts.get(serverName) ?? 0) + 1);
      const parameters = parametersFromSchema(tool.inputSchema);
      return Object.freeze({
        toolName,
        serverName,
        description: typeof tool.description === 'string' ? tool.description : '',
        sensitivityLevel: 'medium' as const,
        parameters: Object.freeze(parameters),
        sensitiveParams: Object.freeze(sensitiveParameterNames(parameters)),
        requiredCapabilities: Object.freeze([]),
      });
    });
    const servers = [...counts].map(([serverName, toolsCount]) =>
      Object.freeze({
        serverId: serverName,
        serverName,
        serverUrl: this.#parts.url,
        sensitivityLevel: 'medium' as const,
        authorizedTeams: Object.freeze([]),
        accessRestrictions: null,
        healthStatus: 'healthy',
        toolsCount,
        createdAt: null,
        updatedAt: null,
      }),
    );
    return { tools: Object.freeze(tools), servers: Object.freeze(servers), names };
  }

  #split(name: string): { serverName: string; toolName: string } | null {
    const { split } = this.#parts;
    if (typeof split !== 'string') {
      const parts = split(name);
      const valid = parts !== null && typeof parts === 'object';
      return valid &&
        typeof parts.serverName === 'string' &&
        parts.serverName !== '' &&
        typeof parts.toolName === 'string' &&
        parts.toolName !== ''
        ? { serverName: parts.serverName, toolName: parts.toolName }
        : null;
    }
    const at = name.indexOf(split);
    if (at <= 0 || at + split.length >= name.length) return null;
    return { serverName: name.slice(0, at), toolName: name.slice(at + split.length) };
  }

  /** One MCP exchange on the caller's session (its token, else the client's credential), counted. */
  async #counted<T>(userToken: string | undefined, call: (server: RemoteServer) => Promise<T>): Promise<T> {
    this.#requests++;
    this.#inFlight++;
    try {
      const key = credentialFingerprint(undefined, userToken);
      return await this.#sessions.use(key, () => this.#open(userToken), call);
    } catch (error) {
      this.#errors++;
      throw error;
    } finally {
      this.#inFlight--;
    }
  }

  #open(userToken: string | undefined): Promise<RemoteServer> {
    const { url, headers } = this.#parts;
    const auth = userToken === undefined ? this.#parts.auth : bearerToken(userToken);
    return this.#parts.openRemote({ url, headers, auth });
  }
}
