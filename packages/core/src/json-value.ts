import { GatewayConfigError } from './errors';
import { setOwn } from './own-property';

/** A value JSON carries exactly: what a tool's parameters, a policy input or a JSON-RPC message may hold. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON object (as a tool's parameters are). */
export type JsonObject = { readonly [key: string]: JsonValue };

/** Nesting deeper than this is refused (it would overflow the stack of `JSON.stringify` or of a peer's parser). */
export const MAX_JSON_DEPTH = 200;

const snapshots = new WeakSet<object>();

/**
 * An immutable copy of `value` that holds exactly what JSON will carry, taken once: every later read — by a policy,
 * a cache key, a request body — sees the same data, whatever the caller does to its own object meanwhile.
 * `toJSON()` is applied as `JSON.stringify` would (a `Date` or `URL` becomes its string); `undefined` object
 * properties are left out, as JSON leaves them out. Anything JSON cannot carry — a BigInt, a function, a symbol,
 * `NaN` or `Infinity`, a cycle, a `Map`/`Set`/class instance without `toJSON`, `undefined` in an array, nesting
 * deeper than {@link MAX_JSON_DEPTH} — is a `GatewayConfigError` naming the path of the offending value. Plain data
 * whose keys include `__proto__` keeps it as an ordinary key. A value that already is such a snapshot is returned
 * as it is (no second copy).
 */
export function jsonSnapshot(value: unknown, path = 'value'): JsonValue {
  if (typeof value === 'object' && value !== null && snapshots.has(value)) return value as JsonValue;
  try {
    const copy = copyJson(value, path, new Set(), 0);
    if (typeof copy === 'object' && copy !== null) snapshots.add(copy);
    return copy;
  } catch (error) {
    if (error instanceof GatewayConfigError) throw error;
    throw new GatewayConfigError(`${path}: could not be read (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

/** {@link jsonSnapshot} of a value that must be a JSON object (a tool's parameters, a policy input). */
export function jsonObjectSnapshot(value: unknown, path: string): JsonObject {
  const copy = jsonSnapshot(value, path);
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) throw new GatewayConfigError(`${path}: must be an object`);
  return copy as JsonObject;
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return 'a BigInt';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'undefined') return 'undefined';
  if (typeof value === 'number') return String(value);
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object that is not plain data';
}

function refuse(path: string, value: unknown): never {
  throw new GatewayConfigError(`${path}: ${describe(value)} is not a JSON value`);
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function copyJson(input: unknown, path: string, ancestors: Set<object>, depth: number): JsonValue {
  let value = input;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON('');
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) refuse(path, value);
      return value;
    case 'object':
      break;
    default:
      refuse(path, value);
  }
  if (value === null) return null;
  if (snapshots.has(value)) return value as JsonValue;
  if (depth >= MAX_JSON_DEPTH) throw new GatewayConfigError(`${path}: nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (ancestors.has(value)) throw new GatewayConfigError(`${path}: a circular reference is not a JSON value`);
  ancestors.add(value);
  let copy: JsonValue;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (let index = 0; index < value.length; index++) {
      items.push(copyJson(value[index], childPath(path, index), ancestors, depth + 1));
    }
    copy = Object.freeze(items);
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) refuse(path, value);
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      setOwn(object, key, copyJson(item, childPath(path, key), ancestors, depth + 1));
    }
    copy = Object.freeze(object) as JsonObject;
  }
  ancestors.delete(value);
  return copy;
}

/**
 * One text per JSON value, whatever the order of its keys: the same data always gives the same text, and different
 * data never does. For keys of caches that must only be shared by identical inputs.
 */
export function canonicalJson(value: JsonValue): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(canonicalJson).join(',')}]`;
  const object = value as JsonObject;
  const keys = Object.keys(object).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key] as JsonValue)}`).join(',')}}`;
}
