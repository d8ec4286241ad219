import type { ToolParameter } from './models';
import { isSensitiveName } from './redact';

/** Most parameters read from one tool's schema. */
const MAX_PARAMETERS = 1000;

/**
 * A tool's parameters from its JSON Schema (`properties`, `required`): names, types (`'string'` when the schema does
 * not say), required flags and descriptions. Anything that is not a schema object gives no parameters; at most 1000
 * are read. The one reading of an MCP `inputSchema` as the gateway's parameter list.
 */
export function parametersFromSchema(schema: unknown): ToolParameter[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [];
  const { properties, required } = schema as { properties?: unknown; required?: unknown };
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return [];
  const requiredNames = new Set(Array.isArray(required) ? required.filter((name) => typeof name === 'string') : []);
  return Object.entries(properties as Record<string, unknown>)
    .slice(0, MAX_PARAMETERS)
    .map(([name, value]) => {
      const property = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
      const parameter: { name: string; type: string; required: boolean; description?: string } = {
        name,
        type: typeof property['type'] === 'string' ? property['type'] : 'string',
        required: requiredNames.has(name),
      };
      if (typeof property['description'] === 'string') parameter.description = property['description'];
      return parameter;
    });
}

/** The parameters whose names say they carry a secret (a password, a token, an API key). */
export function sensitiveParameterNames(parameters: readonly ToolParameter[]): string[] {
  return parameters.filter((parameter) => isSensitiveName(parameter.name)).map((parameter) => parameter.name);
}
