import { redact, type RequestSendOptions } from '@sark/core';
import { jsonSchema, tool, type ToolSet } from 'ai';
import { checkSelection, selected, type ToolSelection } from './tool-selection';
import { runForModel } from './tool-error';
import { uniqueToolNames } from './tool-names';
import { checkFunction } from '@sark/core/internal';

/** One tool as an MCP server lists it. */
export interface McpToolDescription {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/** An MCP server connected directly: a `LocalServer` (stdio) or a `RemoteServer` (Streamable HTTP). */
export interface McpToolServer {
  listTools(options?: RequestSendOptions): Promise<readonly McpToolDescription[]>;
  callTool(
    name: string,
    args?: Readonly<Record<string, unknown>>,
    options?: RequestSendOptions,
  ): Promise<{ readonly content: readonly Readonly<Record<string, unknown>>[]; readonly isError?: boolean }>;
}

/** Options of {@link mcpServerTools}. */
export type McpServerToolsOptions = ToolSelection<McpToolDescription>;

/**
 * The tools of an MCP server connected directly, as an AI SDK tool set: from the server's own `tools/list`, with its
 * input schemas. A result with `isError` (the tool's own failure) reaches the model as a tool error, as do failures
 * of the call (redacted); aborting the generation aborts the call.
 */
export async function mcpServerTools(server: McpToolServer, options: McpServerToolsOptions = {}): Promise<ToolSet> {
  checkFunction((server as Partial<McpToolServer> | null)?.listTools, 'server.listTools');
  checkFunction((server as Partial<McpToolServer> | null)?.callTool, 'server.callTool');
  const { timeoutMs } = checkSelection(options); // read once, like the selection
  const tools = selected(await server.listTools(), (description) => [description.name], options);
  const names = uniqueToolNames(tools.map((description) => ({ server: '', name: description.name })));
  const set: ToolSet = {};
  tools.forEach((description, index) => {
    set[names[index] as string] = tool({
      description: description.description ?? description.name,
      inputSchema: jsonSchema<Record<string, unknown>>(description.inputSchema as Parameters<typeof jsonSchema>[0]),
      execute: (input, { abortSignal }) =>
        runForModel(async () => {
          const result = await server.callTool(description.name, input, {
            signal: abortSignal,
            timeoutMs,
          });
          if (result.isError === true) {
            const text = result.content
              .map((part) => (typeof part['text'] === 'string' ? part['text'] : ''))
              .join('\n');
            throw new Error(redact(text || 'the tool failed'));
          }
          return result;
        }, abortSignal),
    });
  });
  return set;
}

/** The tools of a `LocalServer` (stdio) — {@link mcpServerTools}. */
export const localServerTools = mcpServerTools;

/** The tools of a `RemoteServer` (Streamable HTTP) — {@link mcpServerTools}. */
export const remoteServerTools = mcpServerTools;
