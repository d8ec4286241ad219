import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { GatewayClient, type GatewayClientOptions } from '@sark/gateway';

const require = createRequire(import.meta.url);

/** server-everything's entry, run with this Node. */
export function everythingArgs(): string[] {
  const manifestPath = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const manifest = require(manifestPath) as { bin: Record<string, string> };
  return [join(dirname(manifestPath), Object.values(manifest.bin)[0] as string), 'stdio'];
}

export const API_KEY = 'client-test-key';

/** A dev gateway with server-everything and 30 synthetic servers. */
export function startTestGateway(): Promise<DevGateway> {
  return startDevGateway({
    config: {
      apiKey: API_KEY,
      syntheticServers: 30,
      servers: [{ name: 'everything', command: process.execPath, args: everythingArgs() }],
    },
  });
}

/** How many requests the gateway served on a route so far. */
export function served(gw: DevGateway, route: string): number {
  return gw.requests.get(route) ?? 0;
}

export function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

/**
 * One test gateway for a test file, and clients on it that are closed after each test (fast retries, no jitter).
 * `gw` is the running gateway (read it inside tests).
 */
export function useTestGateway() {
  let gw: DevGateway | undefined;
  const clients: GatewayClient[] = [];
  beforeAll(async () => {
    gw = await startTestGateway();
  }, 60_000);
  afterEach(async () => {
    gw?.setFaults({});
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await gw?.close();
  });
  return {
    get gw(): DevGateway {
      if (!gw) throw new Error('the test gateway is not started yet');
      return gw;
    },
    client(options: Partial<GatewayClientOptions> = {}): GatewayClient {
      const c = new GatewayClient({
        gatewayUrl: this.gw.url,
        apiKey: API_KEY,
        retry: { initialDelayMs: 10, jitter: false },
        ...options,
      });
      clients.push(c);
      return c;
    },
  };
}

/** The headers of a fetch call as a plain object (lower-case names). */
export function headerObject(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}
