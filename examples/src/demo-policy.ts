import type { LocalPolicyResult, PolicyInput } from '@sark/gateway';

const ANALYST_TOOLS: Record<string, readonly string[]> = {
  everything: ['echo', 'get-sum'],
  memory: ['read_graph', 'search_nodes', 'open_nodes'],
};
const FILTERED = new Set(['password', 'secret', 'api_key']);

/**
 * The demo's policy, shaped like SARK's example policy (`mcp.gateway`): default deny, `admin` may invoke anything,
 * `analyst` may use a few read-only tools, and secret-looking parameters never reach the server.
 */
export function demoPolicy(input: PolicyInput): LocalPolicyResult {
  const roles = ((input['user'] as { roles?: string[] } | undefined)?.roles ?? []) as string[];
  // The MCP Gateway Registry names a server by its path (`/everything`).
  const server = String(input['server_name']).replace(/^\//, '');
  const tool = String(input['tool_name']);
  const parameters = (input['parameters'] ?? {}) as Record<string, unknown>;
  const filtered_parameters = Object.fromEntries(Object.entries(parameters).filter(([key]) => !FILTERED.has(key)));
  if (roles.includes('admin'))
    return { allow: true, reason: 'Allowed: admin may invoke any tool', filtered_parameters };
  if (roles.includes('analyst') && ANALYST_TOOLS[server]?.includes(tool)) {
    return { allow: true, reason: `Allowed: analyst may use ${server}/${tool}`, filtered_parameters };
  }
  return { allow: false, reason: `Denied: insufficient permissions for ${server}/${tool}` };
}
