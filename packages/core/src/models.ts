/** How sensitive a server or tool is, as the gateway classifies it. */
export type SensitivityLevel = 'low' | 'medium' | 'high' | 'critical';

/** Every {@link SensitivityLevel}, in increasing order. */
export const SENSITIVITY_LEVELS: readonly SensitivityLevel[] = /* @__PURE__ */ Object.freeze([
  'low',
  'medium',
  'high',
  'critical',
]);

/** Which transports a client may use. `AUTO` picks the right one for each operation. */
export const TransportMode = /* @__PURE__ */ Object.freeze({
  AUTO: 'auto',
  HTTP_ONLY: 'http_only',
  SSE_ONLY: 'sse_only',
  STDIO_ONLY: 'stdio_only',
} as const);
/** One of the {@link TransportMode} values. */
export type TransportMode = (typeof TransportMode)[keyof typeof TransportMode];

/** An MCP server registered with the gateway. */
export interface ServerInfo {
  readonly serverId: string;
  readonly serverName: string;
  readonly serverUrl: string;
  /** Defaults to `'medium'` when the gateway does not say. */
  readonly sensitivityLevel: SensitivityLevel;
  /** Defaults to `[]`. */
  readonly authorizedTeams: readonly string[];
  readonly accessRestrictions: Readonly<Record<string, unknown>> | null;
  readonly healthStatus: string;
  readonly toolsCount: number;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
}

/** One parameter of a tool. */
export interface ToolParameter {
  readonly name: string;
  /** JSON Schema type name (`'string'`, `'number'`, …); `'string'` when the gateway does not say. */
  readonly type: string;
  readonly required: boolean;
  readonly description?: string;
}

/** A tool offered by a server behind the gateway. */
export interface ToolInfo {
  readonly toolName: string;
  readonly serverName: string;
  readonly description: string;
  readonly sensitivityLevel: SensitivityLevel;
  readonly parameters: readonly ToolParameter[];
  readonly sensitiveParams: readonly string[];
  readonly requiredCapabilities: readonly string[];
}

/** One event received from a gateway event stream. */
export interface GatewayEvent {
  readonly eventType: string;
  readonly data: string;
  readonly eventId: string | null;
  readonly retryMs: number | null;
  /** Parses `data` as JSON; throws `GatewayProtocolError` when it is not JSON. */
  json<T = unknown>(): T;
}

/** What the gateway answers to an invocation: its JSON object, as is. */
export type InvokeResult = Record<string, unknown>;

/** A page of a list operation, with the gateway's `total` when it sent one. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number | null;
}
