import { GatewayConfigError } from './errors';
import type { RequestAuthorizer } from './transport';

/**
 * Checks of option values, each a `GatewayConfigError` naming the option and saying what it must be — thrown when a
 * client or transport is constructed (or a call starts), never later, and never sent anywhere.
 */

/** A number > 0 (`Infinity` allowed: no limit). `NaN`, strings, 0 and negatives are refused. */
export function checkPositive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value > 0))
    throw new GatewayConfigError({ option: name, message: `must be a number > 0, got ${describeValue(value)}` });
  return value;
}

/** A finite number ≥ 0. */
export function checkNonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new GatewayConfigError({ option: name, message: `must be a finite number ≥ 0, got ${describeValue(value)}` });
  return value;
}

/** An integer ≥ `min`. */
export function checkInteger(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new GatewayConfigError({ option: name, message: `must be an integer ≥ ${min}, got ${describeValue(value)}` });
  return value;
}

/** A boolean. */
export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean')
    throw new GatewayConfigError({ option: name, message: `must be true or false, got ${describeValue(value)}` });
  return value;
}

/** A string (a name, a label for messages). */
export function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string')
    throw new GatewayConfigError({ option: name, message: `must be a string, got ${describeValue(value)}` });
  return value;
}

/** A function (a callback option, the work a policy runs). */
export function checkFunction<T>(value: T, name: string): T {
  if (typeof value !== 'function')
    throw new GatewayConfigError({ option: name, message: `must be a function, got ${describeValue(value)}` });
  return value;
}

/** `undefined`, or a {@link RequestAuthorizer}: both of its methods there now, not found missing at a first request. */
export function checkAuthorizer(value: unknown, name = 'auth'): RequestAuthorizer | undefined {
  if (value === undefined) return undefined;
  const auth = value as Partial<RequestAuthorizer> | null;
  checkFunction(auth?.headers, `${name}.headers`);
  checkFunction(auth?.refused, `${name}.refused`);
  return value as RequestAuthorizer;
}

/**
 * `undefined`, or an `AbortSignal` — from this realm or another (an iframe, a VM context), so it is recognised by
 * what it does, not by `instanceof`. Anything else is refused now, before a listener or a timer depends on it.
 */
export function checkSignal(value: unknown, name: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const signal = value as Partial<AbortSignal> | null;
  if (
    typeof signal !== 'object' ||
    signal === null ||
    typeof signal.aborted !== 'boolean' ||
    typeof signal.addEventListener !== 'function' ||
    typeof signal.removeEventListener !== 'function'
  )
    throw new GatewayConfigError({ option: name, message: `must be an AbortSignal, got ${describeValue(value)}` });
  return value as AbortSignal;
}

/** An object that must be given (a call's request, a policy's input): not undefined, null, an array or a primitive. */
export function checkObject<T extends object>(value: T, name: string): T {
  if (value === undefined) throw new GatewayConfigError({ option: name, message: 'must be an object, got undefined' });
  return checkOptionsObject(value, name);
}

/**
 * `value` when it is an options object (not null, not an array), `{}` when it is undefined; anything else — `5`,
 * `'fast'`, `[]` — is a `GatewayConfigError` naming it, never silently read as "no options".
 */
export function checkOptionsObject<T extends object>(value: T | undefined, name: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new GatewayConfigError({ option: name, message: `must be an object, got ${describeValue(value)}` });
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `a string`;
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Options with every default applied: each property present, none `undefined`. */
export type Resolved<T> = { -readonly [K in keyof T]-?: Exclude<T[K], undefined> };
