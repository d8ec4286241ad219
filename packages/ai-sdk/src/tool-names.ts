/** Longest tool name the model providers accept (OpenAI: 64). */
export const MAX_TOOL_NAME_LENGTH = 64;
import { GatewayConfigError } from '@sark/core';

/** A name providers accept: letters, digits, `_` and `-`, at most 64 characters. */
function sanitize(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return cleaned.length <= MAX_TOOL_NAME_LENGTH ? cleaned : cleaned.slice(0, MAX_TOOL_NAME_LENGTH);
}

/**
 * The model-facing name of each tool, in the order given: the tool's own name when no other tool in the set has it,
 * else `<server>_<tool>` for every tool that shares it; names are cleaned to `[A-Za-z0-9_-]`, cut at 64 characters,
 * and a name still taken gets `_2`, `_3`, … in order. The same tools give the same names, whatever their order.
 */
export function uniqueToolNames(tools: readonly { readonly server: string; readonly name: string }[]): string[] {
  if (!Array.isArray(tools) || !tools.every((t) => typeof t?.server === 'string' && typeof t.name === 'string'))
    throw new GatewayConfigError({ option: 'uniqueToolNames(tools)', message: 'must be an array of { server, name }' });
  const count = new Map<string, number>();
  for (const tool of tools) count.set(tool.name, (count.get(tool.name) ?? 0) + 1);
  const order = tools
    .map((tool, index) => ({ tool, index }))
    .sort((a, b) => a.tool.server.localeCompare(b.tool.server) || a.tool.name.localeCompare(b.tool.name));
  const taken = new Set<string>();
  const names: string[] = new Array<string>(tools.length);
  for (const { tool, index } of order) {
    const wanted = sanitize((count.get(tool.name) ?? 0) > 1 ? `${tool.server}_${tool.name}` : tool.name);
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted.slice(0, MAX_TOOL_NAME_LENGTH - String(n).length - 1)}_${n}`;
    taken.add(name);
    names[index] = name;
  }
  return names;
}
