import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every request header the @sark clients send (gateway REST, event streams, MCP Streamable HTTP, trace context). */
const ALLOWED_HEADERS = [
  'Accept',
  'Authorization',
  'Cache-Control',
  'Content-Type',
  'Idempotency-Key',
  'Last-Event-ID',
  'Mcp-Method',
  'Mcp-Name',
  'Mcp-Protocol-Version',
  'Mcp-Session-Id',
  'X-API-Key',
  'traceparent',
  'tracestate',
  'X-Authorization',
];
/** Most `Mcp-Param-*` headers (SEP-2243: named by a tool's schema, so not listable ahead) one preflight may allow. */
const MAX_PARAM_HEADERS = 32;
/** The answer headers a page's script may read. */
const EXPOSED_HEADERS = ['Idempotent-Replayed', 'Mcp-Session-Id', 'Retry-After', 'WWW-Authenticate'].join(', ');

/**
 * Cross-origin access for browser pages on the configured origins (`"*"` allows any). A preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered here, before authentication — browsers never send credentials on it;
 * one from an origin not allowed gets 403. Other requests from an allowed origin get `Access-Control-Allow-Origin`
 * and go on. Returns true when the request has been answered.
 */
export function handleCors(req: IncomingMessage, res: ServerResponse, origins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origins.length === 0 || origin === undefined) return false;
  const allowed = origins.includes('*') || origins.includes(origin);
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
  }
  if (!preflight) {
    if (allowed) res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    return false;
  }
  if (!allowed) {
    res.writeHead(403, { 'content-type': 'application/json' }).end('{"detail":"Origin not allowed"}');
    return true;
  }
  res
    .writeHead(204, {
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
      'access-control-allow-headers': allowedHeaders(req.headers['access-control-request-headers']).join(', '),
      'access-control-max-age': '600',
      'content-length': '0',
    })
    .end();
  return true;
}

/** The fixed list, and the `Mcp-Param-*` headers the preflight asks for (header tokens only). */
function allowedHeaders(requested: string | undefined): string[] {
  const params = (requested ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => /^mcp-param-[!#$%&'*+.^_`|~0-9a-z-]{1,64}$/.test(name))
    .slice(0, MAX_PARAM_HEADERS);
  return [...ALLOWED_HEADERS, ...params];
}
