import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { GatewayClient, GatewayConfigError, OPAClient, type Logger } from '@sark/gateway';
import { OAuthClient, headlessDriver } from '@sark/oauth';
import { hostileServer, sendJson, type SeenRequest } from '@sark/test-support/hostile-server';

// One unique canary plays every secret at once: API key, user token, password parameter, local server env value,
// URL userinfo and ?api_key= query. Then every operation and failure path runs, and the canary must appear nowhere.
const CANARY = `cnry${randomBytes(12).toString('hex')}`;
// The OAuth server's secrets get their own canary: nothing else holds it, so only the OAuth client's care hides it.
const OAUTH_CANARY = `oacn${randomBytes(12).toString('hex')}`;

/** Everything a peer could echo: the request's headers and body in the shapes servers use. */
function echo(request: SeenRequest): string {
  const headers = { ...request.headers };
  return [
    `request ${request.method} ${request.url}`,
    `headers ${JSON.stringify(headers)}`,
    `headers ${inspect(headers)}`,
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${String(value)}`)
      .join('\n'),
    `body ${request.body}`,
    `body as a string ${JSON.stringify(request.body)}`,
  ].join('\n');
}

const seen: string[] = [];
const record = (label: string, value: unknown): void => {
  seen.push(`${label}: ${typeof value === 'string' ? value : inspect(value, { depth: 20, showHidden: true })}`);
  try {
    seen.push(`${label} (JSON): ${JSON.stringify(value)}`);
  } catch {
    // Values JSON cannot carry are covered by inspect.
  }
};
function recordError(label: string, error: unknown): void {
  expect(error, label).toBeInstanceOf(Error);
  const e = error as Error;
  record(label, [e.message, e.stack, String(e), JSON.stringify(e), inspect(e, { depth: 20 })].join('\n'));
}
const logger: Logger = {
  debug: (fields, message) => record('log.debug', [fields, message]),
  info: (fields, message) => record('log.info', [fields, message]),
  warn: (fields, message) => record('log.warn', [fields, message]),
  error: (fields, message) => record('log.error', [fields, message]),
};

let gateway: Awaited<ReturnType<typeof hostileServer>>;
let opa: Awaited<ReturnType<typeof hostileServer>>;
let oauthPeer: Awaited<ReturnType<typeof hostileServer>>;
let oauthBase = '';
let tokensIssued = 0;

/**
 * An MCP server behind OAuth and its authorization server, both hostile: the client secret, the code, the access
 * and refresh tokens it issues carry the canary; then it refuses every token and every grant, echoing the request
 * (codes, verifiers, secrets, tokens) back in its error descriptions and bodies.
 */
const METADATA_PATH = '/.well-known/oauth-protected-resource/mcp';

function oauthRoutes(request: SeenRequest, res: Parameters<Parameters<typeof hostileServer>[0]>[1]): void {
  const path = request.url.split('?')[0];
  const base = oauthBase;
  if (path === METADATA_PATH) {
    return sendJson(res, 200, { resource: `${base}/mcp`, authorization_servers: [base] });
  }
  if (path === '/.well-known/oauth-authorization-server') {
    return sendJson(res, 200, {
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      registration_endpoint: `${base}/register`,
      code_challenge_methods_supported: ['S256'],
    });
  }
  if (path === '/register')
    return sendJson(res, 201, { client_id: 'client-1', client_secret: `${OAUTH_CANARY}-secret` });
  if (path === '/authorize') {
    const query = new URL(request.url, base).searchParams;
    const back = new URL(query.get('redirect_uri') as string);
    back.searchParams.set('code', `${OAUTH_CANARY}-code`);
    back.searchParams.set('state', query.get('state') as string);
    res.writeHead(302, { location: back.href }).end();
    return;
  }
  if (path === '/token' && tokensIssued++ === 0) {
    return sendJson(res, 200, {
      access_token: `${OAUTH_CANARY}-access`,
      refresh_token: `${OAUTH_CANARY}-refresh`,
      token_type: 'Bearer',
      expires_in: 3600,
    });
  }
  if (path === '/token')
    return sendJson(res, 400, { error: 'invalid_grant', error_description: `${request.body} ${echo(request)}` });
  return sendJson(
    res,
    401,
    { error: 'invalid_token', request: echo(request) },
    {
      'www-authenticate': `Bearer error="invalid_token", resource_metadata="${base}${METADATA_PATH}"`,
    },
  );
}

beforeAll(async () => {
  gateway = await hostileServer(async (request, res) => {
    const path = request.url.split('?')[0];
    if (path === '/api/v1/tools') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`not json at all: ${echo(request)}`);
    } else if (path === '/api/v1/servers/slow') {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      sendJson(res, 200, {});
    } else if (path === '/api/v1/events') {
      sendJson(res, 403, { detail: echo(request) });
    } else if (request.method === 'POST') {
      sendJson(res, 500, {
        error: 'upstream failed',
        request: echo(request),
        parameters: JSON.parse(request.body || '{}') as unknown,
      });
    } else {
      res.writeHead(path === '/health' ? 503 : 401, { 'content-type': 'text/plain' });
      res.end(echo(request));
    }
  });
  opa = await hostileServer((request, res) => sendJson(res, 500, { code: 'internal_error', message: echo(request) }));
  oauthPeer = await hostileServer(oauthRoutes);
  oauthBase = oauthPeer.url;
});
afterAll(async () => {
  await Promise.all([gateway.close(), opa.close(), oauthPeer.close()]);
});

describe('secrets canary: the one secret appears in no error, log line, metric or report', () => {
  it('every operation and failure path, then every rendering', async () => {
    // Traced too: every span attribute and metric data point is one more rendering the canary must stay out of.
    const spans = new InMemorySpanExporter();
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
    otel.trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }),
    );
    otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    otel.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    const options = {
      gatewayUrl: gateway.url,
      apiKey: CANARY,
      telemetry: otel,
      logger,
      timeoutMs: 300,
      retry: { initialDelayMs: 5, maxAttempts: 2 },
    };
    const withPolicy = new GatewayClient({
      ...options,
      opaClient: new OPAClient({ opaUrl: opa.url, includeToken: true, headers: { authorization: `Bearer ${CANARY}` } }),
    });
    const plain = new GatewayClient(options);
    const refused = new GatewayClient({ ...options, gatewayUrl: 'http://127.0.0.1:9' });
    const invocation = {
      serverName: 'db',
      toolName: 'execute_query',
      userToken: CANARY,
      parameters: { query: 'SELECT 1', password: CANARY, note: `my password is ${CANARY}` },
    };
    const crowd = new GatewayClient({ gatewayUrl: gateway.url, enableErrorHandling: false });
    try {
      // Each failure is settled as it is made (its error is the value), so none is ever an unhandled rejection.
      const failures: [string, Promise<unknown>][] = (
        [
          ['invokeTool, OPA failing (500 echoing its input and headers)', withPolicy.invokeTool(invocation)],
          ['invokeTool, the gateway failing (500 echoing the request)', plain.invokeTool(invocation)],
          ['listServers (401 echoing headers)', plain.listServers()],
          ['listTools (200 with a non-JSON body echoing headers)', plain.listTools()],
          ['getServerInfo (a gateway that hangs)', plain.getServerInfo('slow')],
          ['invokeTool (connection refused)', refused.invokeTool(invocation)],
          ['streamEvents (403 echoing headers)', plain.streamEvents({ userToken: CANARY }).next()],
          [
            'a local server that prints its environment and crashes',
            plain.connectLocalServer({
              command: process.execPath,
              args: [
                '-e',
                'console.error(JSON.stringify(process.env)); console.error(require("util").inspect(process.env)); ' +
                  'console.error("token in use: " + process.env.SERVICE_TOKEN); process.exit(3)',
              ],
              env: { SERVICE_TOKEN: CANARY },
              serverId: 'crashing-named-secret',
            }),
          ],
          [
            'a remote server behind a hostile OAuth server (its tokens, codes and secrets echoed back)',
            plain.connectRemoteServer({
              id: 'oauth',
              url: `${oauthBase}/mcp`,
              auth: new OAuthClient({ ...headlessDriver(), logger }),
            }),
          ],
          [
            'a local server whose secret the caller marked (secretEnv)',
            plain.connectLocalServer({
              command: process.execPath,
              args: ['-e', 'console.error("connecting with " + process.env.UPSTREAM_CONN); process.exit(4)'],
              env: { UPSTREAM_CONN: CANARY },
              secretEnv: ['UPSTREAM_CONN'],
              serverId: 'crashing-marked-secret',
            }),
          ],
        ] as [string, Promise<unknown>][]
      ).map(([label, pending]) => [
        label,
        pending.then(
          () => new Error(`${label} did not fail`),
          (e: unknown) => e,
        ),
      ]);
      for (const [label, settled] of failures) recordError(label, await settled);
      // Then the process serves 300 other users, and the API-key-only paths fail again: no number of users may push a
      // secret in use out of redaction.
      for (let batch = 0; batch < 300; batch += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            crowd
              .invokeTool({ serverName: 's', toolName: 't', userToken: `another-user-${batch + i}` })
              .catch(() => undefined),
          ),
        );
      }
      for (const [label, pending] of [
        ['listServers after 300 users', plain.listServers()],
        ['streamEvents after 300 users', plain.streamEvents().next()],
        ['OPA after 300 users', withPolicy.invokeTool({ serverName: 'db', toolName: 't' })],
      ] as const) {
        recordError(
          label,
          await pending.then(
            () => new Error(`${label} did not fail`),
            (e: unknown) => e,
          ),
        );
      }
      for (const gatewayUrl of [
        `http://svc:${CANARY}@127.0.0.1:1`,
        `http://127.0.0.1:1/?api_key=${CANARY}`,
        `http://svc:${CANARY}@[`,
      ]) {
        let error: unknown;
        try {
          new GatewayClient({ gatewayUrl });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(GatewayConfigError);
        recordError(`gatewayUrl ${gatewayUrl.replace(CANARY, '<canary>')}`, error);
      }
      for (const [name, c] of [
        ['withPolicy', withPolicy],
        ['plain', plain],
        ['refused', refused],
      ] as const) {
        record(`${name}.healthCheck()`, await c.healthCheck());
        record(`${name}.getMetrics()`, c.getMetrics());
        record(`inspect(${name})`, c);
      }
    } finally {
      await Promise.all([withPolicy.close(), plain.close(), refused.close(), crowd.close()]);
    }
    await reader.forceFlush();
    const exported = spans.getFinishedSpans();
    expect(exported.length).toBeGreaterThan(5);
    for (const span of exported) record(`span ${span.name}`, [span.attributes, span.events, span.status]);
    record('metrics', metrics.getMetrics());
    otel.trace.disable();
    otel.context.disable();
    otel.propagation.disable();
    otel.metrics.disable();

    // The paths really ran: the peers saw the canary, and what came back held it in every shape.
    expect(
      gateway.requests.some(
        (r) => r.headers['x-api-key'] === CANARY && r.headers['authorization'] === `Bearer ${CANARY}`,
      ),
    ).toBe(true);
    expect(opa.requests.some((r) => r.body.includes(CANARY))).toBe(true);
    // The OAuth path ran whole: a token was used, a refresh tried, a second code exchanged (each echoed back).
    expect(oauthPeer.requests.some((r) => r.headers['authorization'] === `Bearer ${OAUTH_CANARY}-access`)).toBe(true);
    expect(oauthPeer.requests.some((r) => r.body.includes(`refresh_token=${OAUTH_CANARY}-refresh`))).toBe(true);
    const verifiers = oauthPeer.requests
      .map((r) => new URLSearchParams(r.body).get('code_verifier'))
      .filter((verifier): verifier is string => verifier !== null);
    expect(verifiers).toHaveLength(2);
    for (const line of seen)
      for (const verifier of verifiers) expect(line.includes(verifier), line.slice(0, 400)).toBe(false);
    expect(seen.join('\n')).toContain('[REDACTED]');
    expect(seen.filter((line) => line.startsWith('log.'))).not.toHaveLength(0);

    const pieces = [CANARY, encodeURIComponent(CANARY), CANARY.slice(0, 12), CANARY.slice(-12), OAUTH_CANARY];
    for (const line of seen) for (const piece of pieces) expect(line.includes(piece), line.slice(0, 400)).toBe(false);
  }, 30_000);
});
