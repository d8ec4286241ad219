// A loopback gateway for benchmarks: every path answers a small invoke-like JSON body, except
// /api/v1/servers (and /nototal/api/v1/servers) which page through 10 000 synthetic servers, with and without
// `total`. Pages are serialised once, so the server costs the same for every client.
import { createServer } from 'node:http';

const SERVERS = 10_000;
const server = (i) => ({
  server_id: `id-${i}`,
  server_name: `server-${i}`,
  server_url: `stdio://s${i}`,
  health_status: 'healthy',
  tools_count: 3,
});

export async function startJsonServer(
  body = { status: 'success', result: { content: [{ type: 'text', text: 'Echo: hi' }] } },
) {
  const payload = Buffer.from(JSON.stringify(body));
  const pages = new Map();
  const page = (offset, limit, withTotal) => {
    const key = `${offset}/${limit}/${withTotal}`;
    if (!pages.has(key)) {
      const items = Array.from({ length: Math.max(0, Math.min(SERVERS, offset + limit) - offset) }, (_, k) =>
        server(offset + k),
      );
      pages.set(key, Buffer.from(JSON.stringify(withTotal ? { servers: items, total: SERVERS } : { servers: items })));
    }
    return pages.get(key);
  };
  const httpServer = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url, 'http://bench');
      let out = payload;
      const listing = url.pathname.replace(/^\/nototal/, '');
      if (listing === '/api/v1/servers') {
        out = page(
          Number(url.searchParams.get('offset') ?? 0),
          Number(url.searchParams.get('limit') ?? 100),
          !url.pathname.startsWith('/nototal'),
        );
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': out.length });
      res.end(out);
    });
  });
  httpServer.keepAliveTimeout = 60_000;
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(resolve);
      }),
  };
}
