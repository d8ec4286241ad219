import { GatewayHttpError, GatewayProtocolError } from '@sark/core';
import { isWireObject, type GatewayBase } from '@sark/core/internal';
import type { GatewayDialect } from './gateway-api';
import { fetchJson } from './fetch-json';

/** Largest probe answer read. */
const MAX_PROBE_BYTES = 64 * 1024;

/** How the probe reaches the gateway. */
export interface ProbeSettings {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Which API the gateway at `base` speaks, from its public, anonymous endpoints: the MCP Gateway Registry says so in
 * `GET /health` (`"service": "mcp-gateway-registry"`) or answers `GET /api/version` with `{"version", "ui_title"}`;
 * anything else healthy is taken for `'sark'`. A gateway that cannot be reached rejects (the client retries it like
 * any call); nothing is sent but these two GETs, and no credential.
 */
export async function probeDialect(base: GatewayBase, settings: ProbeSettings): Promise<GatewayDialect> {
  const root = base.origin + base.basePath;
  const read = (path: string) => fetchJson(root + path, { ...settings, maxBytes: MAX_PROBE_BYTES });
  const health = await read('/health').catch(answeredOtherwise);
  if (isWireObject(health) && health['service'] === 'mcp-gateway-registry') return 'mcp-gateway-registry';
  const version = await read('/api/version').catch(answeredOtherwise);
  const registry = isWireObject(version) && typeof version['version'] === 'string' && 'ui_title' in version;
  return registry ? 'mcp-gateway-registry' : 'sark';
}

/**
 * An answer that is not the JSON looked for (a 404, an HTML page) tells something too; a gateway that did not answer,
 * or answered that it is busy or down (429, 5xx), rejects — to be asked again.
 */
function answeredOtherwise(error: unknown): null {
  if (error instanceof GatewayHttpError && error.status !== 429 && error.status < 500) return null;
  if (error instanceof GatewayProtocolError) return null;
  throw error;
}
