import { GatewayConfigError, GatewayProtocolError } from './errors';
import { checkOptionsObject, checkString } from './option-checks';
import { jsonObjectSnapshot } from './json-value';
import type { GatewayEvent, Page, SensitivityLevel, ServerInfo, ToolInfo, ToolParameter } from './models';
import { SENSITIVITY_LEVELS } from './models';
import {
  fieldPath,
  isWireObject,
  readArray,
  readCount,
  readDate,
  readObject,
  readOptionalBoolean,
  readOptionalString,
  readString,
  readStringArray,
  wireFail,
  type WireObject,
} from './wire-reader';

function readSensitivity(obj: WireObject, path: string): SensitivityLevel {
  const value = obj['sensitivity_level'];
  if (value === undefined || value === null) return 'medium';
  if (typeof value !== 'string' || !(SENSITIVITY_LEVELS as readonly string[]).includes(value)) {
    wireFail(fieldPath(path, 'sensitivity_level'), `one of ${SENSITIVITY_LEVELS.join('|')}`);
  }
  return value as SensitivityLevel;
}

function readRestrictions(obj: WireObject, path: string): Readonly<Record<string, unknown>> | null {
  const value = obj['access_restrictions'];
  if (value === undefined || value === null) return null;
  if (!isWireObject(value)) wireFail(fieldPath(path, 'access_restrictions'), 'an object or null');
  // A deep, frozen copy: what the cache hands out can never be changed by a caller, and no key shapes a prototype.
  try {
    return jsonObjectSnapshot(value, fieldPath(path, 'access_restrictions'));
  } catch (error) {
    return wireFail(fieldPath(path, 'access_restrictions'), `plain JSON data (${(error as Error).message})`);
  }
}

/** Validates one ServerInfo wire object (WIRE.md §1) and returns the frozen model. */
export function parseServerInfo(raw: unknown, path = 'server'): ServerInfo {
  const obj = readObject(raw, checkString(path, 'parseServerInfo(path)'));
  return Object.freeze({
    serverId: readString(obj, 'server_id', path),
    serverName: readString(obj, 'server_name', path),
    serverUrl: readString(obj, 'server_url', path),
    sensitivityLevel: readSensitivity(obj, path),
    authorizedTeams: readStringArray(obj, 'authorized_teams', path),
    accessRestrictions: readRestrictions(obj, path),
    healthStatus: readString(obj, 'health_status', path),
    toolsCount: readCount(obj, 'tools_count', path),
    createdAt: readDate(obj, 'created_at', path),
    updatedAt: readDate(obj, 'updated_at', path),
  });
}

function parseToolParameter(raw: unknown, path: string): ToolParameter {
  const obj = readObject(raw, path);
  const description = readOptionalString(obj, 'description', path);
  return Object.freeze({
    name: readString(obj, 'name', path),
    type: readOptionalString(obj, 'type', path) ?? 'string',
    required: readOptionalBoolean(obj, 'required', path, false),
    ...(description === undefined ? {} : { description }),
  });
}

/** Validates one ToolInfo wire object (WIRE.md §1) and returns the frozen model. */
export function parseToolInfo(raw: unknown, path = 'tool'): ToolInfo {
  const obj = readObject(raw, checkString(path, 'parseToolInfo(path)'));
  const parametersPath = fieldPath(path, 'parameters');
  return Object.freeze({
    toolName: readString(obj, 'tool_name', path),
    serverName: readString(obj, 'server_name', path),
    description: readString(obj, 'description', path),
    sensitivityLevel: readSensitivity(obj, path),
    parameters: Object.freeze(
      readArray(obj, 'parameters', path).map((item, index) =>
        parseToolParameter(item, fieldPath(parametersPath, index)),
      ),
    ),
    sensitiveParams: readStringArray(obj, 'sensitive_params', path),
    requiredCapabilities: readStringArray(obj, 'required_capabilities', path),
  });
}

function parsePage<T>(raw: unknown, key: string, parseItem: (item: unknown, path: string) => T): Page<T> {
  const obj = readObject(raw, 'response');
  const items = readArray(obj, key, '').map((item, index) => parseItem(item, fieldPath(key, index)));
  const total = obj['total'] === undefined || obj['total'] === null ? null : readCount(obj, 'total', '');
  return Object.freeze({ items: Object.freeze(items), total });
}

/** Validates a `GET /api/v1/servers` body: `{"servers": [...], "total"?: n}`; a missing array is an empty page. */
export function parseServerPage(raw: unknown): Page<ServerInfo> {
  return parsePage(raw, 'servers', parseServerInfo);
}

/** Validates a `GET /api/v1/tools` body: `{"tools": [...], "total"?: n}`; a missing array is an empty page. */
export function parseToolPage(raw: unknown): Page<ToolInfo> {
  return parsePage(raw, 'tools', parseToolInfo);
}

/** Fields of a {@link GatewayEvent} as a stream parser produces them. */
export interface GatewayEventInit {
  eventType?: string | undefined;
  data: string;
  eventId?: string | null | undefined;
  retryMs?: number | null | undefined;
}

/** Makes a frozen {@link GatewayEvent}; `eventType` defaults to `'message'` as in EventSource. */
export function createGatewayEvent(init: GatewayEventInit): GatewayEvent {
  const data = checkOptionsObject(init, 'createGatewayEvent(init)').data;
  if (typeof data !== 'string')
    throw new GatewayConfigError({ option: 'createGatewayEvent(init).data', message: 'must be a string' });
  const eventType = init.eventType || 'message';
  return Object.freeze({
    eventType,
    data,
    eventId: init.eventId ?? null,
    retryMs: init.retryMs ?? null,
    json<T = unknown>(): T {
      try {
        return JSON.parse(data) as T;
      } catch (error) {
        throw new GatewayProtocolError({
          message: `event "${eventType}": data is not valid JSON`,
          cause: error,
          field: 'data',
        });
      }
    },
  });
}

/** Parses a JSON text, turning a syntax error into a {@link GatewayProtocolError} that says where it came from. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // A web UI's catch-all (the MCP Gateway Registry answers unknown paths with its HTML page, status 200).
    const html = /^\s*</.test(text.slice(0, 256));
    const why = html
      ? 'the answer is an HTML page, not JSON (another API lives at this URL)'
      : 'body is not valid JSON';
    throw new GatewayProtocolError({ message: `${what}: ${why}`, cause: error });
  }
}
