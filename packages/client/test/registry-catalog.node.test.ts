import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayConfigError, GatewayHttpError, GatewayProtocolError } from '@sark/core';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { RegistryCatalog } from '@sark/gateway';
import { hostileServer, sendJson } from '@sark/test-support/hostile-server';
import { API_KEY, everythingArgs } from './helpers';

// The MCP Registry's v0.1 read API, served by the dev gateway over its real MCP servers (dev.sark/<server>), then
// registries that lie.
let gateway: DevGateway;
beforeAll(async () => {
  gateway = await startDevGateway({
    config: {
      apiKey: API_KEY,
      servers: [
        { name: 'everything', command: process.execPath, args: everythingArgs() },
        { name: 'second', command: process.execPath, args: everythingArgs() },
      ],
    },
  });
}, 60_000);
afterAll(() => gateway?.close());

describe('RegistryCatalog against the dev gateway', () => {
  it('lists, pages, finds one server, and connects to its streamable-http remote', async () => {
    const catalog = new RegistryCatalog({ url: gateway.url });
    const page = await catalog.listServers({ search: 'every' });
    expect(page.servers.map((entry) => entry.name)).toEqual(['dev.sark/everything']);
    expect(page.servers[0]?.remotes).toEqual([{ type: 'streamable-http', url: `${gateway.url}/mcp/everything` }]);
    const all: string[] = [];
    for await (const entry of catalog.iterateServers({ limit: 1 })) all.push(entry.name);
    expect(all).toEqual(['dev.sark/everything', 'dev.sark/second']);
    const entry = await catalog.getServer('dev.sark/second');
    expect(entry.version).toBe('1.0.0');
    const server = await catalog.connect(entry, { headers: { 'x-api-key': API_KEY } });
    try {
      expect((await server.callTool('echo', { message: 'from the catalog' })).content).toEqual([
        { type: 'text', text: 'Echo: from the catalog' },
      ]);
    } finally {
      await server.close();
    }
    const missing = await catalog.getServer('dev.sark/nobody').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GatewayHttpError);
    expect((missing as GatewayHttpError).status).toBe(404);
  });
});

describe('registries that lie', () => {
  it('a cursor sent twice, an HTML page, an entry with no usable remote: typed errors, nothing followed', async () => {
    const entry = (name: string, url: string) => ({
      server: { name, version: '1', remotes: [{ type: 'streamable-http', url }] },
    });
    const registry = await hostileServer((request, res) => {
      if (request.url.startsWith('/html/')) {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Registry UI</title>');
        return;
      }
      // Every page points at the same next page: paging in circles.
      sendJson(res, 200, {
        servers: [entry('a/loop', 'https://a.example/mcp'), entry('b/script', 'javascript:alert(1)')],
        metadata: { nextCursor: 'again' },
      });
    });
    try {
      const catalog = new RegistryCatalog({ url: registry.url });
      const seen: string[] = [];
      const looping = (async () => {
        for await (const server of catalog.iterateServers()) seen.push(server.name);
      })();
      await expect(looping).rejects.toBeInstanceOf(GatewayProtocolError);
      expect(registry.requests.length).toBeLessThanOrEqual(3);
      const first = await catalog.listServers();
      expect(first.servers[1]?.remotes).toEqual([]); // javascript: is no remote
      await expect(catalog.connect(first.servers[1]!)).rejects.toBeInstanceOf(GatewayConfigError);
      const html = await new RegistryCatalog({ url: `${registry.url}/html` }).listServers().catch((e: unknown) => e);
      expect(html).toBeInstanceOf(GatewayProtocolError);
      expect(String(html)).toContain('text/html that is not JSON');
    } finally {
      await registry.close();
    }
  });
});
