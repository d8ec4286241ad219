import { GatewayProtocolError } from './errors';

/** A JSON object as it came off the wire, not yet trusted. */
export type WireObject = Readonly<Record<string, unknown>>;

/** Throws the {@link GatewayProtocolError} that names `path` and what was expected there. */
export function wireFail(path: string, expected: string): never {
  throw new GatewayProtocolError({ message: `${path}: expected ${expected}`, field: path });
}

/** Joins a field path the way error messages show it: `servers[3].tools_count`. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function isWireObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readObject(value: unknown, path: string): WireObject {
  if (!isWireObject(value)) wireFail(path, 'an object');
  return value;
}

export function readString(obj: WireObject, key: string, path: string): string {
  const value = obj[key];
  if (typeof value !== 'string') wireFail(fieldPath(path, key), 'a string');
  return value;
}

export function readOptionalString(obj: WireObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') wireFail(fieldPath(path, key), 'a string');
  return value;
}

export function readCount(obj: WireObject, key: string, path: string): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    wireFail(fieldPath(path, key), 'a non-negative integer');
  }
  return value;
}

export function readOptionalBoolean(obj: WireObject, key: string, path: string, fallback: boolean): boolean {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') wireFail(fieldPath(path, key), 'a boolean');
  return value;
}

export function readStringArray(obj: WireObject, key: string, path: string): readonly string[] {
  const value = obj[key];
  if (value === undefined || value === null) return Object.freeze([]);
  if (!Array.isArray(value)) wireFail(fieldPath(path, key), 'an array of strings');
  value.forEach((item, index) => {
    if (typeof item !== 'string') wireFail(fieldPath(fieldPath(path, key), index), 'a string');
  });
  return Object.freeze([...(value as string[])]);
}

export function readDate(obj: WireObject, key: string, path: string): Date | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') wireFail(fieldPath(path, key), 'an ISO-8601 date string or null');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) wireFail(fieldPath(path, key), 'an ISO-8601 date string or null');
  return date;
}

export function readArray(obj: WireObject, key: string, path: string): readonly unknown[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) wireFail(fieldPath(path, key), 'an array');
  return value;
}
