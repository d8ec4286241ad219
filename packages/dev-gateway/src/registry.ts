import { parametersFromSchema, sensitiveParameterNames } from '@sark/core/internal';
import { LocalServer, type McpCallToolResult, type McpTool } from '@sark/transport-stdio';
import type { DevGatewayConfig, DevServerConfig } from './config';
import type { EventHub } from './event-hub';

/** ServerInfo as it travels (snake_case, WIRE.md §1). */
export interface WireServer {
  server_id: string;
  server_name: string;
  server_url: string;
  sensitivity_level: string;
  authorized_teams: readonly string[];
  access_restrictions: Readonly<Record<string, unknown>> | null;
  health_status: 'healthy' | 'unhealthy' | 'starting';
  tools_count: number;
  created_at: string;
  updated_at: string;
}

/** ToolInfo as it travels. */
export interface WireTool {
  tool_name: string;
  server_name: string;
  description: string;
  sensitivity_level: string;
  parameters: { name: string; type: string; required: boolean; description?: string }[];
  sensitive_params: string[];
  required_capabilities: string[];
}

interface Entry {
  info: WireServer;
  tools: WireTool[];
  /** Each tool's MCP `inputSchema`, as its server listed it. */
  schemas: Map<string, unknown>;
  server: LocalServer | null;
  synthetic: boolean;
}

/** Why an invocation could not reach a tool. */
export class InvocationError extends Error {
  constructor(
    readonly status: 404 | 502,
    message: string,
  ) {
    super(message);
  }
}

function toolsFrom(serverName: string, level: string, tools: readonly McpTool[]): WireTool[] {
  return tools.map((tool) => {
    const parameters = parametersFromSchema(tool.inputSchema);
    return {
      tool_name: tool.name,
      server_name: serverName,
      description: typeof tool.description === 'string' ? tool.description : '',
      sensitivity_level: level,
      parameters,
      sensitive_params: sensitiveParameterNames(parameters),
      required_capabilities: [],
    };
  });
}

/**
 * The gateway's servers: real MCP servers started over stdio (handshake, tools/list), plus synthetic ones for scale.
 * A server that fails to start or crashes later is marked unhealthy, and a `server_health` event says so; it never
 * takes the gateway down.
 */
export class ServerRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #hub: EventHub;
  /** Tool calls actually executed, by `server/tool` (for tests of idempotent replay). */
  readonly executed = new Map<string, number>();

  constructor(hub: EventHub) {
    this.#hub = hub;
  }

  /** Starts every configured server (concurrently); `onProgress` hears each one finish. */
  async start(
    config: DevGatewayConfig,
    onProgress?: (name: string, ok: boolean, detail: string) => void,
  ): Promise<void> {
    const now = new Date().toISOString();
    for (let i = 0; i < config.syntheticServers; i++) {
      const name = `synthetic-${String(i).padStart(5, '0')}`;
      const tools: WireTool[] = Array.from({ length: config.syntheticToolsPerServer }, (_, t) => ({
        tool_name: `tool_${t}`,
        server_name: name,
        description: `Synthetic tool ${t} (echoes its parameters)`,
        sensitivity_level: 'low',
        parameters: [{ name: 'value', type: 'string', required: false }],
        sensitive_params: [],
        required_capabilities: [],
      }));
      this.#entries.set(name, {
        info: this.#info(name, `synthetic://${name}`, 'low', [], null, 'healthy', tools.length, now),
        tools,
        schemas: new Map(),
        server: null,
        synthetic: true,
      });
    }
    await Promise.all(config.servers.map((server) => this.#startOne(server, now, onProgress)));
  }

  list(): WireServer[] {
    return [...this.#entries.values()].map((entry) => entry.info);
  }

  get(name: string): WireServer | undefined {
    return this.#entries.get(name)?.info;
  }

  tools(serverName?: string): WireTool[] {
    if (serverName !== undefined) return this.#entries.get(serverName)?.tools ?? [];
    return [...this.#entries.values()].flatMap((entry) => entry.tools);
  }

  /** The running MCP server behind `name` (null for synthetic, unknown or unhealthy ones). */
  mcpServer(name: string): LocalServer | null {
    const entry = this.#entries.get(name);
    return entry?.server && entry.info.health_status === 'healthy' ? entry.server : null;
  }

  /** A tool's MCP `inputSchema` (null for synthetic servers and unknown tools). */
  inputSchema(serverName: string, toolName: string): unknown {
    return this.#entries.get(serverName)?.schemas.get(toolName) ?? null;
  }

  health(): Record<string, string> {
    return Object.fromEntries([...this.#entries].map(([name, entry]) => [name, entry.info.health_status]));
  }

  /** Runs `tools/call`; 404 for an unknown server or tool, 502 when the server is down or fails. */
  async invoke(serverName: string, toolName: string, parameters: Record<string, unknown>): Promise<McpCallToolResult> {
    const entry = this.#entries.get(serverName);
    if (!entry) throw new InvocationError(404, `Unknown server: ${serverName}`);
    if (!entry.tools.some((tool) => tool.tool_name === toolName))
      throw new InvocationError(404, `Unknown tool: ${serverName}/${toolName}`);
    const key = `${serverName}/${toolName}`;
    this.executed.set(key, (this.executed.get(key) ?? 0) + 1);
    if (entry.synthetic) return { content: [{ type: 'text', text: JSON.stringify(parameters) }] };
    if (!entry.server || entry.info.health_status !== 'healthy')
      throw new InvocationError(502, `Server ${serverName} is not running`);
    try {
      return await entry.server.callTool(toolName, parameters);
    } catch (error) {
      throw new InvocationError(
        502,
        `Server ${serverName} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((entry) => entry.server?.stop({ graceMs: 2000 })));
  }

  async #startOne(
    config: DevServerConfig,
    now: string,
    onProgress?: (name: string, ok: boolean, detail: string) => void,
  ): Promise<void> {
    const entry: Entry = {
      info: this.#info(
        config.name,
        `stdio://${config.name}`,
        config.sensitivity_level,
        config.authorized_teams,
        config.access_restrictions,
        'starting',
        0,
        now,
      ),
      tools: [],
      schemas: new Map(),
      server: null,
      synthetic: false,
    };
    this.#entries.set(config.name, entry);
    try {
      const server = await LocalServer.start({
        command: config.command,
        args: config.args,
        ...(config.cwd === undefined ? {} : { cwd: config.cwd }),
        env: config.env,
        serverId: config.name,
        requestTimeoutMs: 60_000,
      });
      entry.server = server;
      const listed = await server.listTools();
      entry.tools = toolsFrom(config.name, config.sensitivity_level, listed);
      entry.schemas = new Map(listed.map((tool) => [tool.name, tool.inputSchema]));
      this.#setHealth(entry, 'healthy', { tools_count: entry.tools.length });
      this.#hub.emit(
        'server_registered',
        { server_name: config.name, tools_count: entry.tools.length },
        { serverName: config.name },
      );
      onProgress?.(config.name, true, `${entry.tools.length} tools`);
      server.onExit((info) => {
        if (!info.expected)
          this.#setHealth(entry, 'unhealthy', {
            reason: `process exited (code ${info.exitCode}, signal ${info.signal})`,
          });
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.#setHealth(entry, 'unhealthy', { reason: detail });
      this.#hub.emit(
        'error',
        { server_name: config.name, message: `could not start: ${detail}` },
        { serverName: config.name },
      );
      onProgress?.(config.name, false, detail);
    }
  }

  #setHealth(entry: Entry, status: WireServer['health_status'], extra: Record<string, unknown>): void {
    entry.info = {
      ...entry.info,
      health_status: status,
      updated_at: new Date().toISOString(),
      ...(typeof extra['tools_count'] === 'number' ? { tools_count: extra['tools_count'] } : {}),
    };
    this.#hub.emit(
      'server_health',
      { server_name: entry.info.server_name, health_status: status, ...extra },
      { serverName: entry.info.server_name },
    );
  }

  #info(
    name: string,
    url: string,
    level: string,
    teams: readonly string[],
    restrictions: Readonly<Record<string, unknown>> | null,
    health: WireServer['health_status'],
    toolsCount: number,
    now: string,
  ): WireServer {
    return {
      server_id: `srv-${name}`,
      server_name: name,
      server_url: url,
      sensitivity_level: level,
      authorized_teams: teams,
      access_restrictions: restrictions,
      health_status: health,
      tools_count: toolsCount,
      created_at: now,
      updated_at: now,
    };
  }
}
