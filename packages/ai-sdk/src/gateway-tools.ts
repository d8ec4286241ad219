import { GatewayConfigError, type InvokeResult, type JsonObject, type ToolInfo, type ToolParameter } from '@sark/core';
import { jsonSchema, tool, type ToolSet } from 'ai';
import { runForModel } from './tool-error';
import { checkSelection, selected, type ToolSelection } from './tool-selection';
import { uniqueToolNames } from './tool-names';
import { checkFunction } from '@sark/core/internal';

/** What `gatewayTools` needs of a `GatewayClient` (structural: the browser build works too). */
export interface GatewayToolsClient {
  listAllTools(options?: {
    serverName?: string | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<readonly ToolInfo[]>;
  invokeTool(options: {
    serverName: string;
    toolName: string;
    parameters?: JsonObject;
    userToken?: string;
    timeoutMs?: number;
    signal?: AbortSignal;
  }): Promise<InvokeResult>;
}

/** Options of {@link gatewayTools}. */
export interface GatewayToolsOptions extends ToolSelection<ToolInfo> {
  /** The signed-in user's token: every call the model makes is authorized and sent as this user. */
  userToken?: string | undefined;
  /** Only the tools of these servers (default: every server's). */
  servers?: readonly string[] | undefined;
  /** Aborts the listing. */
  signal?: AbortSignal | undefined;
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** The JSON Schema of a gateway tool's parameters (names, types, required, descriptions). */
export function parametersSchema(parameters: readonly ToolParameter[]): JsonObject {
  if (!Array.isArray(parameters))
    throw new GatewayConfigError({ option: 'parametersSchema(parameters)', message: 'must be an array' });
  const properties: Record<string, JsonObject> = {};
  for (const parameter of parameters) {
    const property: Record<string, string> = {};
    if (JSON_TYPES.has(parameter.type)) property['type'] = parameter.type;
    if (parameter.description !== undefined) property['description'] = parameter.description;
    Object.defineProperty(properties, parameter.name, { value: property, enumerable: true });
  }
  const required = parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name);
  return { type: 'object', properties, required };
}

/**
 * The gateway's tools as an AI SDK tool set: one tool per gateway tool, its input schema built from the tool's
 * parameters, its `execute` calling `client.invokeTool` with the user's token — so the policy, parameter filtering,
 * retries and the circuit breaker apply to every call the model makes. A denial reaches the model as a tool error it
 * can read ("denied by policy: …"), other failures likewise (redacted); aborting the generation aborts the call.
 */
export async function gatewayTools(client: GatewayToolsClient, options: GatewayToolsOptions = {}): Promise<ToolSet> {
  checkFunction((client as Partial<GatewayToolsClient> | null)?.listAllTools, 'client.listAllTools');
  checkFunction((client as Partial<GatewayToolsClient> | null)?.invokeTool, 'client.invokeTool');
  // Read once: the tool set belongs to this user, whatever later happens to the options object.
  const { userToken, timeoutMs } = checkSelection(options);
  const lists = options.servers
    ? await Promise.all(
        options.servers.map((serverName) => client.listAllTools({ serverName, signal: options.signal })),
      )
    : [await client.listAllTools({ signal: options.signal })];
  const infos = selected(lists.flat(), (info) => [info.toolName, `${info.serverName}/${info.toolName}`], options);
  const names = uniqueToolNames(infos.map((info) => ({ server: info.serverName, name: info.toolName })));
  const set: ToolSet = {};
  infos.forEach((info, index) => {
    set[names[index] as string] = tool({
      description: info.description || `${info.toolName} on ${info.serverName}`,
      inputSchema: jsonSchema<JsonObject>(parametersSchema(info.parameters)),
      execute: (input, { abortSignal }) =>
        runForModel(() => {
          const call: Parameters<GatewayToolsClient['invokeTool']>[0] = {
            serverName: info.serverName,
            toolName: info.toolName,
            parameters: input,
          };
          if (userToken !== undefined) call.userToken = userToken;
          if (timeoutMs !== undefined) call.timeoutMs = timeoutMs;
          if (abortSignal !== undefined) call.signal = abortSignal;
          return client.invokeTool(call);
        }, abortSignal),
    });
  });
  return set;
}
