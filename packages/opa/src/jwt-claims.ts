import { isWireObject, utf8Text } from '@sark/core/internal';

/**
 * The claims of a JWT, decoded WITHOUT verifying the signature — only to describe the caller to the policy (the
 * gateway verifies tokens). Anything that is not a JWT with a JSON object payload gives `{}`.
 */
export function decodeJwtClaims(token: string | undefined): Readonly<Record<string, unknown>> {
  // Anything that is not a string is no token at all, so it carries no claims (and the policy denies).
  const payload = typeof token === 'string' ? token.split('.')[1] : undefined;
  if (!payload) return {};
  try {
    const base64 = payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(utf8Text(bytes));
    return isWireObject(claims) ? claims : {};
  } catch {
    return {};
  }
}
