/** The parameters of a `Bearer` challenge that MCP authorization reads (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  readonly resourceMetadata: string | null;
  /** Space-separated scopes the server asks for. */
  readonly scope: string | null;
  readonly error: string | null;
}

/** Longest `WWW-Authenticate` value read; anything after it is ignored. */
const MAX_HEADER_CHARS = 8192;
const PARAM = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/y;
const SCHEME = /\s*([A-Za-z0-9_.!#$%&'*+^`|~-]+)(?:\s+|$)/y;

/**
 * The `Bearer` challenge of a `WWW-Authenticate` header, or `null` when it has none. Other schemes around it are
 * skipped; a malformed header yields what could be read before the fault.
 */
export function bearerChallenge(header: string | null): BearerChallenge | null {
  if (header === null) return null;
  const text = header.slice(0, MAX_HEADER_CHARS);
  let position = 0;
  let inBearer = false;
  let found: Record<string, string> | null = null;
  while (position < text.length) {
    PARAM.lastIndex = position;
    const param = PARAM.exec(text);
    if (param) {
      position = PARAM.lastIndex;
      const name = (param[1] as string).toLowerCase();
      const value = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
      if (inBearer && found && !Object.hasOwn(found, name)) found[name] = value;
      continue;
    }
    SCHEME.lastIndex = position;
    const scheme = SCHEME.exec(text);
    if (!scheme) break;
    position = SCHEME.lastIndex;
    if (found !== null) break; // the Bearer challenge ended where the next scheme begins
    inBearer = (scheme[1] as string).toLowerCase() === 'bearer';
    if (inBearer) found = {};
  }
  if (found === null) return null;
  return {
    resourceMetadata: found['resource_metadata'] ?? null,
    scope: found['scope'] ?? null,
    error: found['error'] ?? null,
  };
}
