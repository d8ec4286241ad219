import { decodeJwtClaims } from './jwt-claims';
import type { PolicyInput } from './policy-evaluator';
import { checkObject, checkOptionsObject } from '@sark/core/internal';

/** One tool invocation to authorize. */
export interface InvocationRequest {
  userToken?: string;
  serverName: string;
  toolName: string;
  parameters?: Readonly<Record<string, unknown>>;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * The default input document (WIRE.md §4, matching SARK's example policy `mcp.gateway`): the user from the token's
 * claims (`sub`, `email`, `roles`, `teams` or `groups`), the action, server, tool, parameters and a context with a
 * timestamp and request id. The raw token is included only with `includeToken`.
 */
export function buildInvocationInput(
  request: InvocationRequest,
  options: { includeToken?: boolean; requestId?: string; now?: Date } = {},
): PolicyInput {
  checkObject(request, 'buildInvocationInput(request)');
  checkOptionsObject(options, 'buildInvocationInput(options)');
  const claims = decodeJwtClaims(request.userToken);
  const parameters = request.parameters ?? {};
  return {
    user: {
      id: typeof claims['sub'] === 'string' ? claims['sub'] : null,
      email: typeof claims['email'] === 'string' ? claims['email'] : null,
      roles: strings(claims['roles']),
      teams: strings(claims['teams'] ?? claims['groups']),
    },
    action: 'gateway:tool:invoke',
    server_name: request.serverName,
    tool_name: request.toolName,
    parameters,
    server: { name: request.serverName },
    tool: { name: request.toolName, parameters },
    context: {
      timestamp: (options.now ?? new Date()).toISOString(),
      request_id: options.requestId ?? crypto.randomUUID(),
    },
    ...(options.includeToken && request.userToken !== undefined ? { token: request.userToken } : {}),
  };
}
