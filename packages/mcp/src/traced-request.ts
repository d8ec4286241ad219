import type { RequestSendOptions } from '@sark/core';
import { checkFunction, checkOptionsObject, checkString, isWireObject, type Telemetry } from '@sark/core/internal';

/** What a span of one MCP request says about its session. */
export interface McpSpanContext {
  /** `pipe` for stdio, `tcp` for Streamable HTTP. */
  readonly transport: 'pipe' | 'tcp';
  readonly sessionId?: string | null;
  readonly protocolVersion?: string | null;
}

/**
 * Runs one MCP request as a CLIENT span (MCP semantic conventions): named `{method}` or `tools/call {tool}`, with
 * `mcp.method.name`, `gen_ai.tool.name` for tool calls, `network.transport`, `mcp.session.id`,
 * `mcp.protocol.version`; outcome, `error.type` and `rpc.jsonrpc.error_code` on failure; counted as operation
 * `mcp {method}`. Without telemetry it just runs.
 */
export function tracedRequest<T>(
  telemetry: Telemetry | null,
  method: string,
  params: unknown,
  context: McpSpanContext,
  run: (options?: RequestSendOptions) => Promise<T>,
): Promise<T> {
  try {
    checkString(method, 'tracedRequest(method)');
    checkOptionsObject(context, 'tracedRequest(context)');
    checkFunction(run, 'tracedRequest(run)');
  } catch (error) {
    return Promise.reject(error);
  }
  if (!telemetry) return run();
  const attributes: Record<string, string> = { 'mcp.method.name': method, 'network.transport': context.transport };
  const tool =
    method === 'tools/call' && isWireObject(params) && typeof params['name'] === 'string' ? params['name'] : null;
  if (tool !== null) {
    attributes['gen_ai.tool.name'] = tool;
    attributes['gen_ai.operation.name'] = 'execute_tool';
  }
  if (context.sessionId) attributes['mcp.session.id'] = context.sessionId;
  if (context.protocolVersion) attributes['mcp.protocol.version'] = context.protocolVersion;
  const name = tool === null ? method : `${method} ${tool}`;
  return telemetry.span(name, { operation: `mcp ${method}`, attributes, kind: 'client' }, () => run());
}
