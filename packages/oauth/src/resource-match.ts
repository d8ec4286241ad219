/**
 * Whether a token issued for `resource` (as the protected-resource metadata published it) may go with a request to
 * `url`: the same origin, and a path at or under the resource's path, segment by segment (`/mcp` covers `/mcp` and
 * `/mcp/x`, never `/mcpx`). A resource that is not a URL covers nothing.
 */
export function resourceCovers(resource: string, url: URL): boolean {
  let base: URL;
  try {
    base = new URL(resource);
  } catch {
    return false;
  }
  if (base.origin !== url.origin || base.hash !== '') return false;
  const prefix = base.pathname;
  const path = url.pathname;
  if (prefix === '/' || path === prefix) return true;
  return path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}
