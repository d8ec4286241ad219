/** The parameters MCP authorization reads from a `Bearer` or `DPoP` challenge (RFC 6750 §3, RFC 9728, RFC 9449). */
export interface AuthChallenge {
  /** `bearer` or `dpop`. */
  readonly scheme: string;
  readonly resourceMetadata: string | null;
  /** Space-separated scopes the server asks for. */
  readonly scope: string | null;
  readonly error: string | null;
}

/** Longest `WWW-Authenticate` value read; anything after it is ignored. */
const MAX_HEADER_CHARS = 8192;
/** Most challenges read from one header. */
const MAX_CHALLENGES = 16;
const PARAM = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/y;
const SCHEME = /[\s,]*([A-Za-z0-9_.!#$%&'*+^`|~-]+)(?:\s+|$)/y;

/**
 * The `Bearer` and `DPoP` challenges of a `WWW-Authenticate` header, in order (other schemes are skipped); a
 * malformed header yields what could be read before the fault.
 */
export function authChallenges(header: string | null): AuthChallenge[] {
  if (header === null) return [];
  const text = header.slice(0, MAX_HEADER_CHARS);
  const found: { scheme: string; params: Record<string, string> }[] = [];
  let current: Record<string, string> | null = null;
  let position = 0;
  while (position < text.length && found.length <= MAX_CHALLENGES) {
    PARAM.lastIndex = position;
    const param = PARAM.exec(text);
    if (param) {
      position = PARAM.lastIndex;
      const name = (param[1] as string).toLowerCase();
      const value = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
      if (current !== null && !Object.hasOwn(current, name)) current[name] = value;
      continue;
    }
    SCHEME.lastIndex = position;
    const scheme = SCHEME.exec(text);
    if (!scheme) break;
    position = SCHEME.lastIndex;
    current = {};
    found.push({ scheme: (scheme[1] as string).toLowerCase(), params: current });
  }
  return found
    .filter(({ scheme }) => scheme === 'bearer' || scheme === 'dpop')
    .slice(0, MAX_CHALLENGES)
    .map(({ scheme, params }) => ({
      scheme,
      resourceMetadata: params['resource_metadata'] ?? null,
      scope: params['scope'] ?? null,
      error: params['error'] ?? null,
    }));
}
