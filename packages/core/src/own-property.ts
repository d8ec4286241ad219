/**
 * Sets `key` on `target` as an own data property, whatever the key: `__proto__` from peer data becomes an ordinary
 * key instead of replacing the object's prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
