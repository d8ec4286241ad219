import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEY, startDemoGateway } from '../src/dev-setup';
import { runTsx } from './run-tsx';

const src = (name: string) => fileURLToPath(new URL(`../src/${name}.ts`, import.meta.url));

/** Processes whose working directory is `dir` — every process a run started inherits its cwd. */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/**
 * Runs an example as a user would (tsx), in a fresh working directory — against `gateway` when given (as with
 * SARK_GATEWAY_URL set), else starting its own; returns its output and exit code.
 */
async function runExample(
  name: string,
  gateway?: { url: string },
): Promise<{ code: number | null; output: string; leftovers: number[] }> {
  const cwd = mkdtempSync(join(tmpdir(), `sark-example-${name}-`));
  const env = { ...process.env, SARK_GATEWAY_URL: gateway?.url ?? '', SARK_API_KEY: gateway ? DEMO_API_KEY : '' };
  const { code, output } = await runTsx(src(name), { cwd, env });
  // Whatever the example started must be gone soon after it exits; give stragglers up to 2 s, then report them.
  const deadline = Date.now() + 2000;
  while (processesIn(cwd).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const leftovers = processesIn(cwd);
  for (const pid of leftovers) process.kill(pid, 'SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
  return { code, output, leftovers };
}

describe.concurrent('the main job (README quick start: npm run demo)', () => {
  it('runs the whole workflow against the dev gateway, prints it, exits 0 and leaves no process behind', async () => {
    const { code, output, leftovers } = await runExample('main-job');
    expect(output).not.toContain('main job failed');
    expect(code).toBe(0);
    expect(leftovers).toEqual([]);
    expect(output).toMatch(/✓ everything \(\d+ tools\)/);
    expect(output).toMatch(/✓ memory \(\d+ tools\)/);
    expect(output).toMatch(/everything\s+stdio:\/\/everything\s+healthy/);
    expect(output).toContain('echo');
    expect(output).toContain('create_entities');
    expect(output).toContain('Echo: hello from @sark/gateway');
    expect(output).toContain('The sum of 19 and 23 is 42.');
    expect(output).toContain('denied by policy: Denied: insufficient permissions for memory/delete_entities');
    expect(output).toMatch(/events received: #\d+ tool_invoked echo/);
    expect(output).toContain('local echo → [{"type":"text","text":"Echo: straight over stdio"}]');
    expect(output).toContain(
      'remote progress 1 → 2 → 3 → 4; remote echo → [{"type":"text","text":"Echo: over streamable http"}]',
    );
    expect(output).toMatch(/remote: remote-everything responsive/);
    expect(output).toMatch(
      new RegExp(
        '401 → discovery → registration → sign-in \\(authorization code \\+ PKCE\\) → ' +
          'token for http://127\\.0\\.0\\.1:\\d+/mcp/everything \\(1 sign-in\\)',
      ),
    );
    expect(output).toContain('agent tools: echo, get-sum; agent answered: The tool said:');
    expect(output).toMatch(/agent answered: .*The sum of 40 and 2 is 42/);
    expect(output).toMatch(
      new RegExp(
        'registry at http://127\\.0\\.0\\.1:\\d+ speaks mcp-gateway-registry; ' +
          'signed in as developer \\(oauth2\\); servers: /everything \\(13 tools\\)',
      ),
    );
    expect(output).toContain(
      'registry echo → {"status":"success","result":{"content":[{"type":"text","text":"Echo: through the registry"}]}}',
    );
    expect(output).toContain('registry get-env → Denied: insufficient permissions for everything/get-env');
    expect(output).toMatch(/registry agent answered: .*The sum of 30 and 12 is 42/);
    expect(output).toContain('overall: healthy');
    expect(output).toMatch(/\$ sark servers\neverything\tsrv-everything\thealthy\t13\tlow/);
    expect(output).toContain('$ sark call everything get-sum a=19 b=23\nThe sum of 19 and 23 is 42.\n(exit 0)');
    expect(output).toMatch(
      /\$ sark policy check memory delete_entities --user @ana\.jwt\ndecision\tdeny[\s\S]*\(exit 6\)/,
    );
    expect(output).toContain('"transportMode": "auto"');
    expect(output).not.toContain('sk-must-not-leave-the-client');
  }, 60_000);
});

// Each example is its own process and working directory: they run side by side. The ones that take
// SARK_GATEWAY_URL share one demo gateway here (the main job above starts its own, as every example does without it).
let shared: Awaited<ReturnType<typeof startDemoGateway>>;
beforeAll(async () => {
  shared = await startDemoGateway();
}, 60_000);
afterAll(() => shared?.dispose());
const SHARED = new Set(['complete-workflow', 'event-monitoring', 'agent', 'aggregated-gateway']);

describe.concurrent('usage guide examples', () => {
  it.each([
    ['complete-workflow', ['get-sum → {"status":"success"', 'health: healthy']],
    ['event-monitoring', ['tool_invoked everything/echo → success', 'monitored 3 invocations']],
    ['local-development', ['Echo: hello over stdio', 'isError: true', 'stopped; running: false']],
    [
      'error-handling',
      [
        'then success after retries: 3 servers (3 requests)',
        'not retried: HTTP 404',
        'circuit open',
        'recovered: breaker closed',
        'Operation timed out after 100 ms',
      ],
    ],
    ['agent', ['tools for the model: echo, ', 'model called get-sum({"a":20,"b":22})', 'The sum of 20 and 22 is 42']],
    [
      'registry-gateway',
      [
        'dialect: mcp-gateway-registry; servers: /everything (13 tools), /memory (9 tools)',
        'signed in as developer (oauth2)',
        'get-sum → {"status":"success","result":{"content":[{"type":"text","text":"The sum of 2 and 3 is 5."}]}}',
        'get-env → PermissionDeniedError',
        'v0.1 catalog: dev.sark/everything → http://127.0.0.1:',
      ],
    ],
    [
      'aggregated-gateway',
      [
        'servers (from tool-name prefixes): everything (13), memory (9)',
        'tools of memory: create_entities',
        'everything__echo → {"status":"success","result":{"content":[{"type":"text","text":"Echo: one endpoint"}]}}',
        'health: healthy',
      ],
    ],
  ])(
    '%s',
    async (name, expected) => {
      const { code, output, leftovers } = await runExample(name, SHARED.has(name) ? shared : undefined);
      expect(code, output).toBe(0);
      for (const text of expected) expect(output).toContain(text);
      expect(leftovers).toEqual([]);
    },
    60_000,
  );
});
