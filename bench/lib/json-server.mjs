// A loopback HTTP server answering every request with a small JSON body, for benchmarks.
import { createServer } from 'node:http';

export async function startJsonServer(body = { status: 'success', result: { content: [{ type: 'text', text: 'Echo: hi' }] } }) {
  const payload = Buffer.from(JSON.stringify(body));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': payload.length });
      res.end(payload);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}
