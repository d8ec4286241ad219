import type { OAuthModeConfig } from './authorization-server';
import { GatewayConfigError, SENSITIVITY_LEVELS, type SensitivityLevel } from '@sark/core';
import { isWireObject } from '@sark/core/internal';

/** One MCP server the dev gateway runs over stdio. */
export interface DevServerConfig {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly sensitivity_level: SensitivityLevel;
  readonly authorized_teams: readonly string[];
  readonly access_restrictions: Readonly<Record<string, unknown>> | null;
}

/** Fault injection, off by default (tests and benchmarks). */
export interface FaultConfig {
  /** Added to every /api response: a fixed delay or a [min, max] range. */
  latencyMs?: number | readonly [number, number];
  /** Share (0–1) of /api requests answered with `errorStatus` instead. */
  errorRate?: number;
  errorStatus?: number;
  /** Sent with injected errors as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
  /** Share (0–1) of /api requests whose connection is reset without an answer. */
  resetRate?: number;
  /** Share (0–1) of invocations whose answer is cut mid-body AFTER the tool ran (the connection is reset). */
  cutAnswerRate?: number;
  /** Close every SSE stream after this many events. */
  sseDropEvery?: number;
  /** Fail exactly the next N /api requests with `errorStatus` (deterministic, for retry tests). */
  failNext?: number;
  /** Delay exactly the next N /api requests by `slowNextMs`. */
  slowNext?: number;
  slowNextMs?: number;
}

/** The gateway APIs the dev gateway can serve. */
export type DevGatewayDialect = 'sark' | 'mcp-gateway-registry';

/** The whole configuration. */
export interface DevGatewayConfig {
  readonly servers: readonly DevServerConfig[];
  /**
   * The API served: `'sark'` (`/api/v1/*`, the default) or `'mcp-gateway-registry'` (the MCP Gateway Registry's
   * `/api/*` catalog, MCP at `/{server}/mcp` with the credential in `X-Authorization`, WIRE.md §6). Both serve the
   * aggregated MCP endpoint `/mcp` and the registry catalog `/v0.1/servers`.
   */
  readonly dialect: DevGatewayDialect;
  /** When set, every /api request must carry it as `X-API-Key` (401 otherwise). */
  readonly apiKey?: string;
  /**
   * Origins whose browser pages may call the gateway (`["*"]`: any); preflights are answered before authentication.
   * Default: none (no CORS headers).
   */
  readonly corsOrigins: readonly string[];
  /**
   * OAuth mode (`"oauth": true` or `{ scopes, accessTokenTtlSeconds, user }`): an authorization server runs beside
   * the gateway and `/mcp/{server}` takes its tokens instead of the API key. Off (`null`) by default.
   */
  readonly oauth: OAuthModeConfig | null;
  /** Register this many synthetic servers (no processes) for scale tests. */
  readonly syntheticServers: number;
  readonly syntheticToolsPerServer: number;
  readonly faults: FaultConfig;
  /** SSE keep-alive comment interval. Default 15 000. */
  readonly keepAliveMs: number;
  /** `retry:` sent to SSE clients. Default 1 000. */
  readonly sseRetryMs: number;
  /** Events kept for Last-Event-ID replay. Default 1 000. */
  readonly eventBufferSize: number;
  /**
   * A file the events are appended to (one JSON line each) and read back at start, so a restarted dev gateway
   * continues the same ids and still replays after a client's Last-Event-ID. Default: events live in memory only.
   */
  readonly eventLogFile?: string;
}

/**
 * A configuration that cannot be used; the message names the field and the server. A `GatewayConfigError`, so code
 * that handles the client's configuration errors handles the dev gateway's too.
 */
export class DevGatewayConfigError extends GatewayConfigError {
  static override readonly brand: symbol = Symbol.for('@sark/dev-gateway:DevGatewayConfigError');
  constructor(message: string) {
    super({ message });
  }
}

function fail(path: string, expected: string): never {
  throw new DevGatewayConfigError(`${path}: expected ${expected}`);
}

function optionalNumber(value: unknown, path: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) fail(path, `a number ≥ ${min}`);
  return value;
}

function stringArray(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(path, 'an array of strings');
  return value as string[];
}

function parseServer(raw: unknown, index: number): DevServerConfig {
  if (!isWireObject(raw)) fail(`servers[${index}]`, 'an object');
  const name = raw['name'];
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    fail(`servers[${index}].name`, 'a name of letters, digits, ".", "_" or "-"');
  const at = `servers[${index}] ("${name}")`;
  const command = raw['command'];
  if (typeof command !== 'string' || command === '') fail(`${at}.command`, 'a non-empty string');
  const env = raw['env'] ?? {};
  if (!isWireObject(env) || Object.values(env).some((v) => typeof v !== 'string'))
    fail(`${at}.env`, 'an object of strings');
  const level = raw['sensitivity_level'] ?? 'medium';
  if (typeof level !== 'string' || !(SENSITIVITY_LEVELS as readonly string[]).includes(level))
    fail(`${at}.sensitivity_level`, SENSITIVITY_LEVELS.join(' | '));
  const restrictions = raw['access_restrictions'] ?? null;
  if (restrictions !== null && !isWireObject(restrictions)) fail(`${at}.access_restrictions`, 'an object or null');
  const cwd = raw['cwd'];
  if (cwd !== undefined && typeof cwd !== 'string') fail(`${at}.cwd`, 'a string');
  return {
    name,
    command,
    args: stringArray(raw['args'], `${at}.args`),
    ...(cwd === undefined ? {} : { cwd }),
    env: env as Record<string, string>,
    sensitivity_level: level as SensitivityLevel,
    authorized_teams: stringArray(raw['authorized_teams'], `${at}.authorized_teams`),
    access_restrictions: restrictions as Record<string, unknown> | null,
  };
}

function dialectOf(value: unknown): DevGatewayDialect {
  if (value === undefined || value === 'sark' || value === 'mcp-gateway-registry') return value ?? 'sark';
  return fail('dialect', '"sark" or "mcp-gateway-registry"');
}

/** A scope token (RFC 6749 §3.3). */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function oauthMode(value: unknown): OAuthModeConfig | null {
  if (value === undefined || value === false) return null;
  const raw = value === true ? {} : value;
  if (!isWireObject(raw)) fail('oauth', 'true, or an object { scopes?, toolScopes?, accessTokenTtlSeconds?, user? }');
  const scopes = raw['scopes'] === undefined ? ['mcp:tools'] : stringArray(raw['scopes'], 'oauth.scopes');
  if (scopes.some((scope) => !SCOPE.test(scope))) fail('oauth.scopes', 'scope tokens (RFC 6749 §3.3)');
  const user = raw['user'] ?? 'developer';
  if (typeof user !== 'string' || user === '') fail('oauth.user', 'a non-empty string');
  const toolScopes = raw['toolScopes'] ?? {};
  if (
    !isWireObject(toolScopes) ||
    Object.values(toolScopes).some((scope) => typeof scope !== 'string' || !SCOPE.test(scope))
  ) {
    fail('oauth.toolScopes', 'an object of "server/tool": "scope"');
  }
  return {
    scopes,
    toolScopes: toolScopes as Record<string, string>,
    accessTokenTtlSeconds: Math.ceil(
      optionalNumber(raw['accessTokenTtlSeconds'], 'oauth.accessTokenTtlSeconds', 3600, 1),
    ),
    user,
  };
}

function corsOrigins(value: unknown): string[] {
  const origins = stringArray(value, 'corsOrigins');
  for (const [index, origin] of origins.entries()) {
    if (origin === '*') continue;
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || parsed.origin !== origin)
      fail(`corsOrigins[${index}]`, 'an origin such as "http://localhost:5173", or "*"');
  }
  return origins;
}

/**
 * Validates a configuration object (from a JSON file or code); the first problem is a {@link DevGatewayConfigError}.
 */
export function parseDevGatewayConfig(raw: unknown): DevGatewayConfig {
  if (!isWireObject(raw)) fail('config', 'an object');
  const servers = raw['servers'] ?? [];
  if (!Array.isArray(servers)) fail('servers', 'an array');
  const parsed = servers.map(parseServer);
  const seen = new Set<string>();
  parsed.forEach((server, index) => {
    if (seen.has(server.name))
      throw new DevGatewayConfigError(
        `servers[${index}] ("${server.name}").name: the name is already used by another server`,
      );
    seen.add(server.name);
  });
  const apiKey = raw['apiKey'];
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey === '')) fail('apiKey', 'a non-empty string');
  const faults = raw['faults'] ?? {};
  if (!isWireObject(faults)) fail('faults', 'an object');
  const eventLogFile = raw['eventLogFile'];
  if (eventLogFile !== undefined && (typeof eventLogFile !== 'string' || eventLogFile === ''))
    fail('eventLogFile', 'a file path');
  return {
    ...(eventLogFile === undefined ? {} : { eventLogFile }),
    servers: parsed,
    corsOrigins: corsOrigins(raw['corsOrigins']),
    dialect: dialectOf(raw['dialect']),
    oauth: oauthMode(raw['oauth']),
    ...(apiKey === undefined ? {} : { apiKey }),
    syntheticServers: optionalNumber(raw['syntheticServers'], 'syntheticServers', 0),
    syntheticToolsPerServer: optionalNumber(raw['syntheticToolsPerServer'], 'syntheticToolsPerServer', 3),
    faults: faults as FaultConfig,
    keepAliveMs: optionalNumber(raw['keepAliveMs'], 'keepAliveMs', 15_000, 1),
    sseRetryMs: optionalNumber(raw['sseRetryMs'], 'sseRetryMs', 1000),
    eventBufferSize: optionalNumber(raw['eventBufferSize'], 'eventBufferSize', 1000, 1),
  };
}
