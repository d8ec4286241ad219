import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevGatewayConfigError, parseDevGatewayConfig, startDevGateway, type DevGateway } from '@sark/dev-gateway';

// Node's fetch sends whatever Origin it is given and does no CORS itself: these tests read the gateway's answers as a
// browser would. (A real browser on another origin is driven in CI's runtime stage.)
const PAGE = 'http://localhost:5173';
const KEY = 'cors-key';
let gw: DevGateway;
let closed: DevGateway;

beforeAll(async () => {
  gw = await startDevGateway({ config: { apiKey: KEY, syntheticServers: 1, corsOrigins: [PAGE] } });
  closed = await startDevGateway({ config: { apiKey: KEY, syntheticServers: 1 } });
});
afterAll(async () => {
  await gw.close();
  await closed.close();
});

const preflight = (base: string, origin: string, path = '/api/v1/invoke') =>
  fetch(`${base}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'x-api-key, idempotency-key, content-type, authorization',
    },
  });

describe('CORS', () => {
  it('answers an allowed preflight before authentication, allowing every header the client sends', async () => {
    const response = await preflight(gw.url, PAGE);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(', ');
    for (const header of [
      'x-api-key',
      'authorization',
      'idempotency-key',
      'content-type',
      'last-event-id',
      'cache-control',
      'traceparent',
      'mcp-session-id',
    ])
      expect(allowed).toContain(header);
    expect(gw.requests.get('OPTIONS /api/v1/invoke')).toBe(1);
  });

  it('allows the SEP-2243 headers: Mcp-Method, Mcp-Name and the Mcp-Param-* a preflight names', async () => {
    const response = await fetch(`${gw.url}/mcp/anything`, {
      method: 'OPTIONS',
      headers: {
        origin: PAGE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'mcp-method, mcp-name, mcp-param-region, mcp-param-bad name, content-type',
      },
    });
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(', ');
    for (const header of ['mcp-method', 'mcp-name', 'mcp-param-region', 'mcp-protocol-version']) {
      expect(allowed).toContain(header);
    }
    expect(allowed).not.toContain('mcp-param-bad name');
  });

  it('gives an allowed origin its answers (and their Retry-After), and still requires the API key', async () => {
    const ok = await fetch(`${gw.url}/api/v1/servers`, { headers: { origin: PAGE, 'x-api-key': KEY } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(ok.headers.get('access-control-expose-headers')).toContain('Retry-After');
    const refused = await fetch(`${gw.url}/api/v1/servers`, { headers: { origin: PAGE } });
    expect(refused.status).toBe(401);
    // The browser lets the page read the 401 (not a bare network error).
    expect(refused.headers.get('access-control-allow-origin')).toBe(PAGE);
  });

  it('refuses another origin: its preflight is 403 and its answers carry no CORS header', async () => {
    const response = await preflight(gw.url, 'http://evil.example');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${gw.url}/api/v1/servers`, {
      headers: { origin: 'http://evil.example', 'x-api-key': KEY },
    });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is off by default: no CORS header, and a preflight meets authentication', async () => {
    const response = await preflight(closed.url, PAGE);
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts origins and "*", and names a bad entry', () => {
    expect(parseDevGatewayConfig({ corsOrigins: ['*', 'https://app.example:8443'] }).corsOrigins).toEqual([
      '*',
      'https://app.example:8443',
    ]);
    expect(() => parseDevGatewayConfig({ corsOrigins: ['https://app.example/path'] })).toThrow(DevGatewayConfigError);
    expect(() => parseDevGatewayConfig({ corsOrigins: ['https://app.example/path'] })).toThrow(/corsOrigins\[0\]/);
    expect(() => parseDevGatewayConfig({ corsOrigins: 'https://app.example' })).toThrow(/corsOrigins/);
  });
});
