import { GatewayProtocolError, type Page, type ServerInfo, type ToolInfo } from '@sark/core';
import {
  checkedPath,
  isWireObject,
  parametersFromSchema,
  sensitiveParameterNames,
  type WireObject,
} from '@sark/core/internal';

/**
 * The MCP Gateway Registry's JSON (WIRE.md §6), read into the client's models. A server is known by its `path`
 * (`/currenttime`): that is its `serverId` and the `serverName` of its tools (what `invokeTool` takes); the server's
 * own `serverName` is its `display_name`.
 */

/** `currenttime`, `/currenttime` and `/currenttime/` are the same server path. */
function normalized(value: string): string {
  return (value.startsWith('/') ? value : `/${value}`).replace(/\/$/, '');
}

/** A server path the caller gave, checked to stay below the gateway (`GatewayConfigError` otherwise). */
export function callerPath(value: string, field: string): string {
  return checkedPath(normalized(value), field);
}

/** A server path the registry gave, checked to stay below the gateway (`GatewayProtocolError` otherwise). */
export function serverPath(value: unknown, field: string): string {
  try {
    return checkedPath(typeof value === 'string' ? normalized(value) : value, field);
  } catch {
    throw new GatewayProtocolError({
      message: `${field}: ${JSON.stringify(String(value).slice(0, 80))} is not a server path below the gateway`,
      field,
    });
  }
}

function text(obj: WireObject, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

function count(obj: WireObject, key: string): number | null {
  const value = obj[key];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** One server document of `/api/servers` or `/api/servers/{path}`. */
export function registryServer(value: unknown, field: string, mcpUrl: (path: string) => string): ServerInfo {
  if (!isWireObject(value)) throw new GatewayProtocolError({ message: `${field}: expected a server object`, field });
  const path = serverPath(value['path'], `${field}.path`);
  const enabled = value['is_enabled'] !== false;
  return Object.freeze({
    serverId: path,
    serverName: text(value, 'display_name') ?? text(value, 'server_name') ?? path,
    serverUrl: mcpUrl(path),
    sensitivityLevel: 'medium',
    authorizedTeams: Object.freeze([]),
    accessRestrictions: null,
    healthStatus: enabled ? (text(value, 'health_status') ?? 'unknown') : 'disabled',
    toolsCount: count(value, 'num_tools') ?? 0,
    createdAt: null,
    updatedAt: null,
  });
}

/** `GET /api/servers`: `{"servers", "total_count", "has_next"}` as a page (its `total` ends paging). */
export function registryServerPage(body: unknown, offset: number, mcpUrl: (path: string) => string): Page<ServerInfo> {
  if (!isWireObject(body) || !Array.isArray(body['servers'])) {
    throw new GatewayProtocolError({ message: 'GET /api/servers: expected {"servers": [...]}', field: 'servers' });
  }
  const items = body['servers'].map((item, index) => registryServer(item, `servers[${index}]`, mcpUrl));
  const reported = count(body, 'total_count');
  // `has_next: false` ends paging here whatever `total_count` says.
  const total = body['has_next'] === false ? offset + items.length : reported;
  return Object.freeze({ items: Object.freeze(items), total });
}

function tool(serverName: string, name: unknown, description: unknown, schema: unknown, field: string): ToolInfo {
  if (typeof name !== 'string' || name === '') {
    throw new GatewayProtocolError({ message: `${field}: a tool without a name`, field });
  }
  const parameters = parametersFromSchema(schema);
  return Object.freeze({
    toolName: name,
    serverName,
    description: typeof description === 'string' ? description : '',
    sensitivityLevel: 'medium',
    parameters: Object.freeze(parameters),
    sensitiveParams: Object.freeze(sensitiveParameterNames(parameters)),
    requiredCapabilities: Object.freeze([]),
  });
}

function toolArray(body: unknown, what: string): unknown[] {
  if (!isWireObject(body) || !Array.isArray(body['tools'])) {
    throw new GatewayProtocolError({ message: `${what}: expected {"tools": [...]}`, field: 'tools' });
  }
  return body['tools'];
}

/** `GET /api/servers/tools/{path}`: `{"service_path", "tools": [{"name", "description", "schema"}]}`. */
export function registryServerTools(body: unknown, path: string, maxItems: number): readonly ToolInfo[] {
  const items = toolArray(body, `GET /api/servers/tools${path}`);
  if (items.length > maxItems) {
    throw new GatewayProtocolError({ message: `${path}: more than ${maxItems} tools; stopped` });
  }
  return Object.freeze(
    items.map((item, index) => {
      const entry = isWireObject(item) ? item : {};
      return tool(path, entry['name'], entry['description'], entry['schema'], `tools[${index}]`);
    }),
  );
}

/** `GET /api/tool-catalog`: `{"tools": [{"tool_name", "server_path", "description", "input_schema"}]}`. */
export function registryToolCatalog(body: unknown, maxItems: number): readonly ToolInfo[] {
  const items = toolArray(body, 'GET /api/tool-catalog');
  if (items.length > maxItems) {
    throw new GatewayProtocolError({ message: `the tool catalog has more than ${maxItems} tools; stopped` });
  }
  return Object.freeze(
    items.map((item, index) => {
      const entry = isWireObject(item) ? item : {};
      const field = `tools[${index}]`;
      const path = serverPath(entry['server_path'], `${field}.server_path`);
      return tool(path, entry['tool_name'], entry['description'], entry['input_schema'], field);
    }),
  );
}

/** `GET /api/auth/me`: who the MCP Gateway Registry takes the caller for. */
export interface RegistryIdentity {
  readonly username: string;
  readonly authMethod: string | null;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
  readonly isAdmin: boolean;
  /** The server paths (or names) the caller may use, as the registry lists them. */
  readonly accessibleServers: readonly string[];
}

function strings(obj: WireObject, key: string): readonly string[] {
  const value = obj[key];
  if (!Array.isArray(value)) return Object.freeze([]);
  return Object.freeze(value.slice(0, 10_000).filter((item): item is string => typeof item === 'string'));
}

/** `GET /api/auth/me`. */
export function registryIdentity(body: unknown): RegistryIdentity {
  if (!isWireObject(body) || typeof body['username'] !== 'string') {
    throw new GatewayProtocolError({ message: 'GET /api/auth/me: expected {"username", …}', field: 'username' });
  }
  return Object.freeze({
    username: body['username'],
    authMethod: text(body, 'auth_method') ?? null,
    scopes: strings(body, 'scopes'),
    groups: strings(body, 'groups'),
    isAdmin: body['is_admin'] === true,
    accessibleServers: strings(body, 'accessible_servers'),
  });
}
