import { JsonRpcError } from '@sark/core';
import { LATEST_PROTOCOL_VERSION } from '@sark/transport-stdio';
import { InvocationError, type ServerRegistry } from './registry';

/** Tools per `tools/list` page (so clients must follow `nextCursor`, as with real aggregating gateways). */
const PAGE_SIZE = 10;
/** How the aggregated tool names join a server's name and its tool's: `everything__echo`. */
export const TOOL_NAME_SEPARATOR = '__';

/**
 * Every server's tools behind one MCP endpoint, as aggregating gateways serve them (Envoy AI Gateway, Docker MCP
 * Gateway — WIRE.md §6): `tools/list` names each `<server>__<tool>` and pages them; `tools/call` runs the tool on its
 * server (counted like every invocation). The surface of a `LocalServer` that `McpEndpoint` forwards to.
 */
export class AggregateBackend {
  readonly protocolVersion = LATEST_PROTOCOL_VERSION;
  readonly capabilities = Object.freeze({ tools: {} });
  readonly serverInfo = Object.freeze({ name: 'sark-dev-gateway', version: '0.1.0' });
  readonly instructions = 'Every tool of the dev gateway, named <server>__<tool>.';
  readonly #registry: ServerRegistry;

  constructor(registry: ServerRegistry) {
    this.#registry = registry;
  }

  async sendRequest(method: string, params: unknown): Promise<unknown> {
    if (method === 'ping') return {};
    if (method === 'tools/list') return this.#list(params);
    if (method === 'tools/call') return this.#call(params);
    throw new JsonRpcError({ rpcCode: -32601, message: `Method not found: ${method}` });
  }

  #list(params: unknown): unknown {
    const cursor = (params as { cursor?: unknown } | undefined)?.cursor;
    const offset = typeof cursor === 'string' && /^\d{1,9}$/.test(cursor) ? Number(cursor) : 0;
    const all = this.#registry
      .list()
      .flatMap((server) =>
        server.health_status === 'healthy' && this.#registry.mcpServer(server.server_name) !== null
          ? this.#registry.tools(server.server_name).map((tool) => ({ server: server.server_name, tool }))
          : [],
      );
    const page = all.slice(offset, offset + PAGE_SIZE).map(({ server, tool }) => ({
      name: `${server}${TOOL_NAME_SEPARATOR}${tool.tool_name}`,
      description: tool.description,
      inputSchema: this.#registry.inputSchema(server, tool.tool_name) ?? { type: 'object' },
    }));
    const next = offset + PAGE_SIZE < all.length ? { nextCursor: String(offset + PAGE_SIZE) } : {};
    return { tools: page, ...next };
  }

  async #call(params: unknown): Promise<unknown> {
    const { name, arguments: args = {} } = (params ?? {}) as { name?: unknown; arguments?: unknown };
    const at = typeof name === 'string' ? name.indexOf(TOOL_NAME_SEPARATOR) : -1;
    if (typeof name !== 'string' || at <= 0) {
      throw new JsonRpcError({ rpcCode: -32602, message: `Unknown tool: ${String(name).slice(0, 100)}` });
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw new JsonRpcError({ rpcCode: -32602, message: 'arguments must be an object' });
    }
    const server = name.slice(0, at);
    const tool = name.slice(at + TOOL_NAME_SEPARATOR.length);
    try {
      return await this.#registry.invoke(server, tool, args as Record<string, unknown>);
    } catch (error) {
      const code = error instanceof InvocationError && error.status === 404 ? -32602 : -32603;
      throw new JsonRpcError({ rpcCode: code, message: error instanceof Error ? error.message : String(error) });
    }
  }
}
