import { checkObject, checkString } from '@sark/core/internal';
import type { McpTool } from './mcp';

/** A header name as SEP-2243 allows it in `x-mcp-header`: an HTTP token, no space, colon or non-ASCII. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
/** Parameter types that may be mirrored into a header (not `number`: its text form is not exact). */
const MIRRORED_TYPES = new Set(['string', 'integer', 'boolean']);
/** Most mirrored parameters one tool may declare. */
const MAX_MIRRORED = 32;

/**
 * The parameters a tool mirrors into `Mcp-Param-<Name>` headers (SEP-2243, MCP 2026-07-28): `x-mcp-header` on a
 * top-level property of its `inputSchema`. `null` when an annotation is invalid — empty, not a header token, on a
 * type that is not string, integer or boolean, or a name used twice (case-insensitively): such a tool must not be
 * called.
 */
export function mirroredParameters(tool: McpTool): ReadonlyMap<string, string> | null {
  const schema = checkObject(tool, 'mirroredParameters(tool)').inputSchema as { properties?: unknown } | undefined;
  const properties = typeof schema?.properties === 'object' && schema.properties !== null ? schema.properties : {};
  const mirrored = new Map<string, string>();
  const names = new Set<string>();
  for (const [parameter, definition] of Object.entries(properties as Record<string, unknown>)) {
    if (typeof definition !== 'object' || definition === null || !Object.hasOwn(definition, 'x-mcp-header')) continue;
    const header = (definition as Record<string, unknown>)['x-mcp-header'];
    const type = (definition as Record<string, unknown>)['type'];
    if (typeof header !== 'string' || !HEADER_NAME.test(header)) return null;
    if (typeof type !== 'string' || !MIRRORED_TYPES.has(type)) return null;
    if (names.has(header.toLowerCase()) || mirrored.size >= MAX_MIRRORED) return null;
    names.add(header.toLowerCase());
    mirrored.set(parameter, header);
  }
  return mirrored;
}

/**
 * A header value as SEP-2243 sends it: as it is when it is printable ASCII without leading or trailing whitespace,
 * else `=?base64?<UTF-8 as Base64>?=`.
 */
export function encodeHeaderValue(value: string): string {
  let plain = checkString(value, 'encodeHeaderValue(value)') === value.trim();
  for (let i = 0; plain && i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) plain = false;
  }
  if (plain) return value;
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `=?base64?${btoa(binary)}?=`;
}

/** The `Mcp-Param-*` headers of tools, learnt from `tools/list`. */
export class ToolHeaders {
  readonly #byTool = new Map<string, ReadonlyMap<string, string>>();

  /** Learns the tools' mirrored parameters (every tool given must be valid: see {@link mirroredParameters}). */
  remember(tools: readonly McpTool[]): void {
    for (const tool of tools) {
      const mirrored = mirroredParameters(tool);
      if (mirrored !== null && mirrored.size > 0) this.#byTool.set(tool.name, mirrored);
      else this.#byTool.delete(tool.name);
    }
  }

  /** The `Mcp-Param-*` headers of a call of `tool` with `args` (null and absent values send none). */
  headersFor(tool: string, args: unknown): Record<string, string> {
    const mirrored = this.#byTool.get(tool);
    const headers: Record<string, string> = {};
    if (mirrored === undefined || typeof args !== 'object' || args === null) return headers;
    for (const [parameter, header] of mirrored) {
      const value = (args as Record<string, unknown>)[parameter];
      if (typeof value === 'string') headers[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(value);
      else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
        headers[`mcp-param-${header.toLowerCase()}`] = String(value);
      }
    }
    return headers;
  }
}
