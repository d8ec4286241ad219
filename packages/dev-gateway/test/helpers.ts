import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** A server config entry running an installed MCP server package with this Node (no npx, no network). */
export function npmServer(name: string, pkg: string, args: string[] = []) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath) as { bin: Record<string, string> };
  return {
    name,
    command: process.execPath,
    args: [join(dirname(manifestPath), Object.values(manifest.bin)[0] as string), ...args],
  };
}

export const CRASHY = fileURLToPath(new URL('./fixtures/crashy-mcp.mjs', import.meta.url));

/** Reads SSE events from a fetch Response until `count` events arrived (or the stream ends). */
export function readEvents(response: Response, count: number): Promise<{ id: string; type: string; data: string }[]> {
  return readEventsUntil(response, (events) => events.length >= count);
}

/** Reads SSE events from a fetch Response until `enough(events)` holds (or the stream ends). */
export async function readEventsUntil(
  response: Response,
  enough: (events: { id: string; type: string; data: string }[]) => boolean,
): Promise<{ id: string; type: string; data: string }[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: { id: string; type: string; data: string }[] = [];
  while (!enough(events)) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => !l.startsWith(':') && l.includes(':'))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
      );
      if (fields['data'] !== undefined)
        events.push({ id: fields['id'] ?? '', type: fields['event'] ?? 'message', data: fields['data'] });
    }
  }
  await reader.cancel();
  return events;
}
