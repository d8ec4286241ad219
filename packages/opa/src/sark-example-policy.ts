import type { LocalPolicyResult } from './local-policy';
import type { PolicyInput } from './policy-evaluator';
import { checkObject } from '@sark/core/internal';

const ANALYST_TOOLS = new Set(['execute_query', 'list_tables', 'describe_table']);
const DEVELOPER_TOOLS = new Set(['get_repo', 'list_repos', 'search_repos', 'get_issue', 'list_issues', 'create_issue']);
const FILTERED_KEYS = new Set(['password', 'secret', 'api_key']);

function roles(input: PolicyInput): string[] {
  const user = input['user'] as { roles?: unknown } | undefined;
  return Array.isArray(user?.roles) ? user.roles.filter((r): r is string => typeof r === 'string') : [];
}

/**
 * SARK's example policy (`package mcp.gateway`, WIRE.md §4) ported to TypeScript for `localPolicy`: default deny;
 * `admin` may invoke anything; `analyst` may use `postgres-mcp` `execute_query` (SELECT only), `list_tables`,
 * `describe_table`; `developer` may use the listed `github-mcp` tools. For `postgres-mcp`/`execute_query` the
 * parameters `password`, `secret` and `api_key` are filtered out.
 */
export function sarkExamplePolicy(input: PolicyInput): LocalPolicyResult {
  checkObject(input, 'sarkExamplePolicy(input)');
  const userRoles = roles(input);
  const server = String(input['server_name'] ?? '');
  const tool = String(input['tool_name'] ?? '');
  const parameters = (input['parameters'] ?? {}) as Record<string, unknown>;
  const query = typeof parameters['query'] === 'string' ? parameters['query'] : '';

  let allow = false;
  let reason = 'Denied: insufficient permissions';
  if (userRoles.includes('admin')) {
    allow = true;
    reason = 'Allowed: admin may invoke any tool';
  } else if (userRoles.includes('analyst') && server === 'postgres-mcp' && ANALYST_TOOLS.has(tool)) {
    allow = tool !== 'execute_query' || /^\s*select\b/i.test(query);
    reason = allow ? `Allowed: analyst may use ${tool}` : 'Denied: analysts may only run SELECT queries';
  } else if (userRoles.includes('developer') && server === 'github-mcp' && DEVELOPER_TOOLS.has(tool)) {
    allow = true;
    reason = `Allowed: developer may use ${tool}`;
  }
  const filtered =
    server === 'postgres-mcp' && tool === 'execute_query'
      ? Object.fromEntries(Object.entries(parameters).filter(([key]) => !FILTERED_KEYS.has(key)))
      : parameters;
  return { allow, reason, filtered_parameters: filtered };
}
