import type { AddressInfo } from 'node:net';
import { parseDevGatewayConfig, type DevGatewayConfig, type FaultConfig } from './config';
import { EventHub } from './event-hub';
import { AuthorizationServer } from './authorization-server';
import { createGatewayServer, type RequestCounts } from './http-server';
import { McpEndpoint } from './mcp-endpoint';
import { ServerRegistry } from './registry';
import { checkObject } from '@sark/core/internal';

/** Options of {@link startDevGateway}. */
export interface StartDevGatewayOptions {
  /** A configuration object (validated) — see DevGatewayConfig. */
  config: unknown;
  /** Default 0 (any free port). */
  port?: number | undefined;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Hears each configured server finish starting (for progress output). */
  onServerStarted?: ((name: string, ok: boolean, detail: string) => void) | undefined;
}

/** A running dev gateway. */
export interface DevGateway {
  /** `http://host:port`. */
  readonly url: string;
  readonly config: DevGatewayConfig;
  /** The authorization server's issuer in OAuth mode (config `oauth`), else `null`. */
  readonly issuer: string | null;
  /** Requests served, by route (`GET /api/v1/servers`, `POST /api/v1/invoke`, …). */
  readonly requests: RequestCounts;
  /** Tool calls actually executed, by `server/tool` (replays of an Idempotency-Key are not). */
  readonly executed: ReadonlyMap<string, number>;
  /** Forgets every MCP session, as a restarted gateway would (clients get `404` on their session). */
  forgetMcpSessions(): void;
  /** Replaces the fault injection settings. */
  setFaults(faults: FaultConfig): void;
  /** Emits an event to every stream (tests, demos); returns its id. */
  emit(type: string, payload: Record<string, unknown>): number;
  /** Stops the HTTP server and every MCP server; leaves no process behind. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the MCP servers of `config`, then listens. */
export async function startDevGateway(options: StartDevGatewayOptions): Promise<DevGateway> {
  const config = parseDevGatewayConfig(checkObject(options, 'startDevGateway(options)').config);
  const hub = new EventHub(config.eventBufferSize, config.eventLogFile);
  const registry = new ServerRegistry(hub);
  const faults = { current: config.faults };
  const requests: RequestCounts = new Map();
  await registry.start(config, options.onServerStarted);
  let url = '';
  let authorizationServer: AuthorizationServer | null = null;
  try {
    if (config.oauth !== null) {
      const resources = (indicator: string): boolean => {
        if (indicator === url) return true; // the REST API
        const match = /^\/mcp\/([^/]+)$/.exec(indicator.startsWith(`${url}/`) ? indicator.slice(url.length) : '');
        return match !== null && registry.mcpServer(decodeURIComponent(match[1] as string)) !== null;
      };
      authorizationServer = await AuthorizationServer.start(config.oauth, options.host ?? '127.0.0.1', resources);
    }
  } catch (error) {
    await registry.close();
    throw error;
  }
  const guard = authorizationServer && { authorizationServer, gatewayUrl: () => url };
  // A tools/call through a server's MCP endpoint is an execution like an invocation (the aggregated endpoint's
  // calls are counted by the registry's invoke).
  const mcp = new McpEndpoint((name, method, params) => {
    const tool = (params as { name?: unknown } | undefined)?.name;
    if (method !== 'tools/call' || typeof tool !== 'string' || registry.get(name) === undefined) return;
    registry.executed.set(`${name}/${tool}`, (registry.executed.get(`${name}/${tool}`) ?? 0) + 1);
  });
  const server = createGatewayServer(config, registry, hub, faults, requests, guard, () => url, mcp);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
  } catch (error) {
    await authorizationServer?.close();
    await registry.close();
    throw error;
  }
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  url = `http://${host}:${port}`;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await authorizationServer?.close();
      await registry.close();
    })();
    return closing;
  };
  return {
    url,
    issuer: authorizationServer?.issuer ?? null,
    config,
    requests,
    executed: registry.executed,
    forgetMcpSessions: () => mcp.forgetSessions(),
    setFaults: (next) => {
      faults.current = { ...next };
    },
    emit: (type, payload) => {
      return hub.emit(type, payload, { audit: true }).id;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
