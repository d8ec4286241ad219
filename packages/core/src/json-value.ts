import { GatewayConfigError } from './errors';
import { checkString } from './option-checks';
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
  checkString(path, 'jsonSnapshot(path)');
  const walk: Walk = { root: path, keys: [], ancestors: [] };
  try {
    const copy = copyJson(value, walk);
    if (typeof copy === 'object' && copy !== null) snapshots.add(copy);
    return copy;
  } catch (error) {
    if (error instanceof GatewayConfigError) throw error;
    throw new GatewayConfigError({
      option: pathOf(walk),
      message: `could not be read (${error instanceof Error ? error.message : String(error)})`,
      cause: error,
    });
  }
}

/** {@link jsonSnapshot} of a value that must be a JSON object (a tool's parameters, a policy input). */
export function jsonObjectSnapshot(value: unknown, path: string): JsonObject {
  const copy = jsonSnapshot(value, path);
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy))
    throw new GatewayConfigError({ option: path, message: 'must be an object' });
  return copy as JsonObject;
}

/** Where the copy stands: the keys from the root (the path is spelled out only for an error) and the objects above. */
interface Walk {
  readonly root: string;
  readonly keys: (string | number)[];
  readonly ancestors: object[];
}

function pathOf(walk: Walk): string {
  let path = walk.root;
  for (const key of walk.keys) {
    if (typeof key === 'number') path += `[${key}]`;
    else path += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  }
  return path;
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

function refuse(walk: Walk, value: unknown): never {
  throw new GatewayConfigError({ option: pathOf(walk), message: `${describe(value)} is not a JSON value` });
}

function copyJson(input: unknown, walk: Walk): JsonValue {
  let value = input;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON('');
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) refuse(walk, value);
      return value;
    case 'object':
      break;
    default:
      refuse(walk, value);
  }
  if (value === null) return null;
  if (snapshots.has(value)) return value as JsonValue;
  const { keys, ancestors } = walk;
  if (ancestors.length >= MAX_JSON_DEPTH)
    throw new GatewayConfigError({ option: pathOf(walk), message: `nested deeper than ${MAX_JSON_DEPTH} levels` });
  if (ancestors.includes(value))
    throw new GatewayConfigError({ option: pathOf(walk), message: 'a circular reference is not a JSON value' });
  ancestors.push(value);
  let copy: JsonValue;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (let index = 0; index < value.length; index++) {
      keys.push(index);
      items.push(copyJson(value[index], walk));
      keys.pop();
    }
    copy = Object.freeze(items);
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) refuse(walk, value);
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      keys.push(key);
      setOwn(object, key, copyJson(item, walk));
      keys.pop();
    }
    copy = Object.freeze(object) as JsonObject;
  }
  ancestors.pop();
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
