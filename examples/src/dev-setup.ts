// Shared by the examples: the real MCP servers from npm (started with this Node, no npx or network needed), and a
// dev gateway in front of them when no SARK_GATEWAY_URL is given.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';

const require = createRequire(import.meta.url);

/** `{ command, args }` that start an installed MCP server package. */
export function mcpServer(
  pkg: '@modelcontextprotocol/server-everything' | '@modelcontextprotocol/server-memory',
  ...args: string[]
) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath) as { bin: Record<string, string> };
  return {
    command: process.execPath,
    args: [join(dirname(manifestPath), Object.values(manifest.bin)[0] as string), ...args],
  };
}

export const DEMO_API_KEY = 'sark-demo-key-4f7a';

/**
 * Starts a dev gateway with server-everything and server-memory (memory kept in a temporary folder). With `oauth`,
 * its authorization server runs beside it and its MCP endpoints take OAuth tokens (the REST API takes the API key or
 * a token).
 */
export async function startDemoGateway(
  options: {
    onServerStarted?: (name: string, ok: boolean, detail: string) => void;
    oauth?: boolean;
    /** Only server-everything (a gateway for examples that need no second server). */
    everythingOnly?: boolean;
    /** The API it serves: the SARK gateway's (default) or the MCP Gateway Registry's. */
    dialect?: 'sark' | 'mcp-gateway-registry';
  } = {},
): Promise<DevGateway & { dispose(): Promise<void> }> {
  const { onServerStarted, oauth = false, everythingOnly = false, dialect = 'sark' } = options;
  const memoryDir = mkdtempSync(join(tmpdir(), 'sark-demo-'));
  const gateway = await startDevGateway({
    config: {
      apiKey: DEMO_API_KEY,
      oauth,
      dialect,
      keepAliveMs: 5000,
      servers: [
        {
          name: 'everything',
          ...mcpServer('@modelcontextprotocol/server-everything', 'stdio'),
          sensitivity_level: 'low',
          authorized_teams: ['platform'],
        },
        ...(everythingOnly
          ? []
          : [
              {
                name: 'memory',
                ...mcpServer('@modelcontextprotocol/server-memory'),
                env: { MEMORY_FILE_PATH: join(memoryDir, 'memory.jsonl') },
                sensitivity_level: 'high',
              },
            ]),
      ],
    },
    ...(onServerStarted ? { onServerStarted } : {}),
  });
  return Object.assign(gateway, {
    async dispose() {
      await gateway.close();
      rmSync(memoryDir, { recursive: true, force: true });
    },
  });
}

/** Runs `example` against SARK_GATEWAY_URL, or against a dev gateway started (and stopped) for it. */
export async function runAgainstGateway(example: (gatewayUrl: string, apiKey: string) => Promise<void>): Promise<void> {
  const given = process.env['SARK_GATEWAY_URL'];
  if (given) return example(given, process.env['SARK_API_KEY'] ?? '');
  const gateway = await startDemoGateway();
  try {
    await example(gateway.url, DEMO_API_KEY);
  } finally {
    await gateway.dispose();
  }
}

/** A readable fixed-width table. */
export function table(rows: readonly Record<string, string | number>[]): string {
  if (rows.length === 0) return '(none)';
  const columns = Object.keys(rows[0] as object);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [
    line(columns),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => String(r[c])))),
  ].join('\n');
}

/** A token for the demo's users (unsigned: the dev gateway does not verify tokens; the policy only reads claims). */
export function demoToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}
