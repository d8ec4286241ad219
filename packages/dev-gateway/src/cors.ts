import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every request header the @sark clients send (gateway REST, event streams, MCP Streamable HTTP, trace context). */
const ALLOWED_HEADERS = [
  'Accept',
  'Authorization',
  'Cache-Control',
  'Content-Type',
  'Idempotency-Key',
  'Last-Event-ID',
  'Mcp-Protocol-Version',
  'Mcp-Session-Id',
  'X-API-Key',
  'traceparent',
  'tracestate',
].join(', ');
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
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': '600',
      'content-length': '0',
    })
    .end();
  return true;
}
