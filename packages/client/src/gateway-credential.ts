import type { AuthorizedRequest, RefusedAnswer, RequestAuthorizer } from '@sark/core';
import { setOwn } from '@sark/core/internal';

/**
 * The gateway's credential in `X-Authorization` instead of `Authorization`, as the MCP Gateway Registry reads it on
 * its MCP paths (so `Authorization` stays free for the backend server's own credential). The authorizer is asked and
 * told as usual; only the header's name changes, both ways.
 */
export function asGatewayCredential(auth: RequestAuthorizer): RequestAuthorizer {
  return {
    async headers(request: AuthorizedRequest) {
      return renamed(await auth.headers(request), 'authorization', 'x-authorization');
    },
    refused(request: AuthorizedRequest, answer: RefusedAnswer) {
      const sent = answer.sent === undefined ? undefined : renamed(answer.sent, 'x-authorization', 'authorization');
      return auth.refused(request, { status: answer.status, headers: answer.headers, sent });
    },
  };
}

function renamed(
  headers: Readonly<Record<string, string>>,
  from: string,
  to: string,
): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    setOwn(out, name.toLowerCase() === from ? to : name, value);
  }
  return out;
}
