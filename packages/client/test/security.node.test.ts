import { afterEach, describe, expect, it } from 'vitest';
import {
  GatewayClient,
  GatewayConfigError,
  GatewayHttpError,
  OPAClient,
  PermissionDeniedError,
  localPolicy,
  type GatewayClientOptions,
} from '@sark/gateway';
import { API_KEY, served, useTestGateway } from './helpers';
import { hostileServer, sendJson } from '@sark/test-support/hostile-server';

const setup = useTestGateway();
const client = (options: Partial<GatewayClientOptions> = {}) => setup.client(options);
const servers: { close(): Promise<void> }[] = [];
async function hostile(...args: Parameters<typeof hostileServer>) {
  const server = await hostileServer(...args);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

describe('no credential follows a redirect to another origin', () => {
  it('streamEvents: a 307 to another port is a GatewayHttpError; the other origin gets nothing', async () => {
    const elsewhere = await hostile((_req, res) => {
      res.writeHead(200, SSE_HEADERS);
      res.end('id: 1\nevent: tool_invoked\ndata: {"forged":true}\n\n');
    });
    const gateway = await hostile((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/api/v1/events?api_key=leak-me-please` });
      res.end();
    });
    const c = client({ gatewayUrl: gateway.url, apiKey: 'sse-api-key-000111' });
    const error = await c
      .streamEvents()
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect(error).toMatchObject({ status: 307 });
    expect((error as Error).message).toContain(
      `a redirect to another origin, ${elsewhere.url}/api/v1/events?api_key=[REDACTED]`,
    );
    expect((error as Error).message).not.toContain('leak-me-please');
    expect(elsewhere.requests).toHaveLength(0);
    expect(gateway.requests).toHaveLength(1);
  });

  it('streamEvents: a same-origin redirect is followed', async () => {
    const gateway = await hostile((req, res) => {
      if (req.url.startsWith('/api/v1/events')) {
        res.writeHead(308, { location: '/api/v2/events' });
        res.end();
        return;
      }
      res.writeHead(200, SSE_HEADERS);
      res.end('id: 7\nevent: server_health\ndata: {"ok":true}\n\n');
    });
    const stream = client({ gatewayUrl: gateway.url }).streamEvents();
    const first = await stream.next();
    await stream.return?.();
    expect(first.value).toMatchObject({ eventType: 'server_health', eventId: '7' });
    expect(gateway.requests.map((r) => r.url)).toEqual(['/api/v1/events', '/api/v2/events']);
    expect(gateway.requests[1]?.headers['x-api-key']).toBe(API_KEY);
  });

  it('REST: an unparsable Location is a GatewayHttpError, not a raw TypeError', async () => {
    const gateway = await hostile((_req, res) => {
      res.writeHead(302, { location: 'http://[' });
      res.end();
    });
    const error = await client({ gatewayUrl: gateway.url })
      .listServers()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect((error as Error).message).toContain('a redirect to an invalid Location');
  });

  it('REST: a redirect of invokeTool or listServers to another origin is refused, nothing is sent there', async () => {
    const elsewhere = await hostile((_req, res) => sendJson(res, 200, { servers: [] }));
    const gateway = await hostile((req, res) => {
      res.writeHead(req.method === 'POST' ? 307 : 302, { location: `${elsewhere.url}${req.url}` });
      res.end();
    });
    const c = client({ gatewayUrl: gateway.url });
    await expect(
      c.invokeTool({ serverName: 's', toolName: 't', parameters: { q: 1 }, userToken: 'user-token-abcdef' }),
    ).rejects.toMatchObject({ status: 307 });
    await expect(c.listServers()).rejects.toMatchObject({ status: 302 });
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('what is sent is what the policy saw', () => {
  /** A real OPA stand-in over HTTP: allows SELECT statements only, after a delay the caller can use. */
  async function slowSelectOnlyOpa() {
    return hostile(async (req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      const { input } = JSON.parse(req.body) as { input: { parameters: { message?: string } } };
      const allow = /^SELECT\b/.test(input.parameters.message ?? '');
      sendJson(res, 200, { result: { allow, reason: allow ? 'Allowed: a SELECT' : 'Denied: only SELECT' } });
    });
  }

  it('a caller changing its parameters while OPA evaluates changes nothing that is sent or cached', async () => {
    const opa = await slowSelectOnlyOpa();
    const c = client({ opaClient: new OPAClient({ opaUrl: opa.url, decisionCache: true }) });
    const parameters = { message: 'SELECT 1' };
    const pending = c.invokeTool({ serverName: 'everything', toolName: 'echo', parameters });
    setTimeout(() => {
      parameters.message = 'DROP TABLE users';
    }, 20);
    expect(await pending).toMatchObject({ result: { content: [{ text: 'Echo: SELECT 1' }] } });
    // The allow was cached under what OPA saw: a fresh DROP TABLE is asked about, and denied.
    await expect(
      c.invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'DROP TABLE users' } }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(opa.requests).toHaveLength(2);
  });

  it('the same holds for a local policy that takes its time', async () => {
    const policy = localPolicy(async (input) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return /^SELECT\b/.test(String((input['parameters'] as { message?: unknown }).message));
    });
    const parameters = { message: 'SELECT 2' };
    const pending = client({ opaClient: policy }).invokeTool({
      serverName: 'everything',
      toolName: 'echo',
      parameters,
    });
    parameters.message = 'DROP TABLE users';
    expect(await pending).toMatchObject({ result: { content: [{ text: 'Echo: SELECT 2' }] } });
  });
});

describe('what is invoked is what the policy allowed', () => {
  it('a caller changing the tool or server while the policy evaluates changes nothing that is sent', async () => {
    const seen: unknown[] = [];
    const policy = localPolicy(async (input) => {
      seen.push(input['tool_name']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return input['tool_name'] === 'echo';
    });
    const call = { serverName: 'everything', toolName: 'echo', parameters: { message: 'allowed' } };
    const pending = client({ opaClient: policy }).invokeTool(call);
    // An agent loop reusing one options object: by the time the policy answers, it names another tool.
    call.toolName = 'get-env';
    call.serverName = 'no-such-server';
    expect(await pending).toMatchObject({ result: { content: [{ text: 'Echo: allowed' }] } });
    expect(seen).toEqual(['echo']);
  });
});

describe('the client keeps the gateway and policy it was made with', () => {
  it('changing the options object later neither drops the policy nor sends the API key to another host', async () => {
    const elsewhere = await hostile((_req, res) => sendJson(res, 200, { servers: [] }));
    const options: GatewayClientOptions = {
      gatewayUrl: setup.gw.url,
      apiKey: API_KEY,
      opaClient: localPolicy(() => ({ allow: false, reason: 'Denied: nobody may echo' })),
    };
    const c = new GatewayClient(options); // the caller's own object, not a copy
    try {
      options.opaClient = undefined;
      options.gatewayUrl = elsewhere.url;
      options.apiKey = 'another-key-123456';
      await expect(
        c.invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'x' } }),
      ).rejects.toBeInstanceOf(PermissionDeniedError);
      await c.listServers(); // the HTTP transport is made now, lazily
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await c.close();
    }
  });
});

describe('bad input from the caller: a GatewayConfigError, nothing sent, never retried, never counted', () => {
  it.each(['tok€n-abcdef', 'tok\u0001en-abcdef'])(
    'user token %j cannot lock every user out through the shared breaker',
    async (token) => {
      const c = client({ circuitBreaker: { failureThreshold: 2 } });
      const before = served(setup.gw, 'POST /api/v1/invoke');
      for (let i = 0; i < 10; i++) {
        await expect(
          c.invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'x' }, userToken: token }),
        ).rejects.toBeInstanceOf(GatewayConfigError);
      }
      expect(served(setup.gw, 'POST /api/v1/invoke')).toBe(before);
      expect(c.getMetrics().errorHandler?.circuitBreaker).toMatchObject({
        state: expect.stringMatching(/closed/i),
        totalFailures: 0,
      });
      await expect(
        c.invokeTool({ serverName: 'everything', toolName: 'echo', parameters: { message: 'still works' } }),
      ).resolves.toMatchObject({ status: 'success' });
    },
  );

  it.each<[string, Record<string, unknown>, string]>([
    ['a BigInt', { n: 10n }, 'invokeTool: parameters.n: a BigInt is not a JSON value'],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o['self'] = o;
        return { o };
      })(),
      'invokeTool: parameters.o.self: a circular reference',
    ],
    ['a function', { callback: () => 1, q: 1 }, 'invokeTool: parameters.callback: a function is not a JSON value'],
    ['a symbol', { s: Symbol('s') }, 'invokeTool: parameters.s: a symbol is not a JSON value'],
  ])('parameters holding %s', async (_what, parameters, message) => {
    const asked: unknown[] = [];
    const c = client({ opaClient: localPolicy((input) => (asked.push(input), true)) });
    const before = served(setup.gw, 'POST /api/v1/invoke');
    const error = await c
      .invokeTool({ serverName: 'everything', toolName: 'echo', parameters })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayConfigError);
    expect((error as Error).message).toContain(message);
    expect(asked).toHaveLength(0);
    expect(served(setup.gw, 'POST /api/v1/invoke')).toBe(before);
  });
});

describe('redaction never degrades with the number of users', () => {
  it('after 300 users, the API key is still redacted from an error body that echoes it', async () => {
    const apiKey = 'ak_live_9Qv3xT7mZp2R';
    const gateway = await hostile((req, res) =>
      sendJson(res, 400, {
        detail: 'bad request',
        echoed: `key=${String(req.headers['x-api-key'])} raw ${String(req.headers['x-api-key'])}`,
      }),
    );
    const c = client({ gatewayUrl: gateway.url, apiKey });
    for (let user = 0; user < 300; user++) {
      await expect(
        c.invokeTool({ serverName: 's', toolName: 't', userToken: `user-token-${user}-zzzz` }),
      ).rejects.toBeInstanceOf(GatewayHttpError);
    }
    const error = (await c.listServers().catch((e: unknown) => e)) as GatewayHttpError;
    expect(error.body).toContain('[REDACTED]');
    for (const text of [error.body, JSON.stringify(error), error.message]) expect(text).not.toContain(apiKey);
  });
});
