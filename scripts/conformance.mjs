// The official MCP conformance suite against our Streamable HTTP client: RemoteServer with OAuthClient
// (packages/oauth/conformance/client.mjs, from the packages' dist: build first), in two versions of the suite.
// Usage: node scripts/conformance.mjs [node-binary]. The suite needs Node >= 22: CI passes the Node 24 it fetched.
// Each version is installed from npm into a temporary directory (pinned); if one cannot be installed, a NOTICE says so.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const AUTH_SUITE = [
  'auth/metadata-default',
  'auth/metadata-var1',
  'auth/metadata-var2',
  'auth/metadata-var3',
  'auth/basic-cimd',
  'auth/scope-from-www-authenticate',
  'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined',
  'auth/scope-step-up',
  'auth/scope-retry-limit',
  'auth/token-endpoint-auth-basic',
  'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none',
  'auth/pre-registration',
];
const BACK_COMPAT = ['auth/2025-03-26-oauth-metadata-backcompat', 'auth/2025-03-26-oauth-endpoint-fallback'];
const CORE = ['initialize', 'tools_call', 'elicitation-sep1034-client-defaults', 'sse-retry'];

const SUITES = [
  {
    // Every client scenario of 0.1.16: the core ones, the auth suite, back-compat, the drafts and the extensions.
    suite: '@modelcontextprotocol/conformance@0.1.16',
    runs: [
      ...[...CORE, ...AUTH_SUITE, ...BACK_COMPAT].map((scenario) => ({ scenario })),
      ...['auth/resource-mismatch', 'auth/offline-access-scope', 'auth/offline-access-not-supported'].map(
        (scenario) => ({ scenario }),
      ),
      ...['auth/client-credentials-jwt', 'auth/client-credentials-basic', 'auth/cross-app-access-complete-flow'].map(
        (scenario) => ({ scenario }),
      ),
    ],
  },
  {
    // Every client scenario of 0.2.0-alpha.12 under every spec version it lists (`conformance list --client`):
    // 2026-07-28 (stateless, server/discover, the SEP-2243 headers, multi-round-trip requests), 2025-11-25,
    // 2025-06-18 and 2025-03-26 where a scenario names them; extension scenarios as the suite runs them.
    suite: '@modelcontextprotocol/conformance@0.2.0-alpha.12',
    runs: 'listed',
  },
];

const node = process.argv[2] ?? process.execPath;
const client = fileURLToPath(new URL('../packages/oauth/conformance/client.mjs', import.meta.url));
const run = promisify(execFile);
/** Scenarios run side by side: each starts its own servers on free ports. */
const PARALLEL = 3;

/** Each client scenario the suite lists, once per spec version it names (`- name [v1,v2]`). */
function listedRuns(cli, dir) {
  const listing = execFileSync(node, [cli, 'list', '--client'], { cwd: dir, encoding: 'utf8' });
  return [...listing.matchAll(/^\s+- (\S+) \[([^\]]+)\]$/gm)].flatMap(([, scenario, versions]) =>
    versions
      .split(',')
      .map((version) => version.trim())
      .map((version) => (version === 'extension' ? { scenario } : { scenario, args: ['--spec-version', version] })),
  );
}

async function runSuite({ suite, runs }) {
  const dir = mkdtempSync(join(tmpdir(), 'sark-conformance-'));
  try {
    try {
      execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--silent', suite], {
        cwd: dir,
        stdio: 'ignore',
        timeout: 300_000,
      });
    } catch {
      console.log(`NOTICE: ${suite} could not be installed from the npm registry; it is skipped.`);
      return 0;
    }
    const cli = join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
    if (runs === 'listed') runs = listedRuns(cli, dir);
    const outcomes = new Array(runs.length);
    let next = 0;
    const worker = async () => {
      while (next < runs.length) {
        const index = next++;
        const { scenario, args = [] } = runs[index];
        const argv = [cli, 'client', '--command', `${node} ${client}`, '--scenario', scenario, ...args];
        let output;
        let status = 0;
        try {
          const done = await run(node, argv, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
          output = `${done.stdout}${done.stderr}`;
        } catch (error) {
          output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
          status = error.code ?? 1;
        }
        const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
        // A scenario that did not run (SKIPPED, unknown) is no pass: the summary line must say PASSED.
        const ok = status === 0 && plain.includes('OVERALL: PASSED');
        const result = /Passed: \d+\/\d+, \d+ failed, \d+ warnings/.exec(plain);
        outcomes[index] = {
          ok,
          line: `${ok ? 'PASS' : 'FAIL'} ${scenario} ${args.join(' ')}: ${result?.[0] ?? `exit ${status}`}`,
          plain,
        };
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    let failed = 0;
    for (const outcome of outcomes) {
      console.log(outcome.line);
      if (!outcome.ok) {
        failed++;
        console.log(outcome.plain.slice(-6000));
      }
    }
    console.log(`${suite}: ${runs.length - failed} of ${runs.length} scenario runs passed`);
    return failed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let failed = 0;
for (const suite of SUITES) failed += await runSuite(suite);
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
console.log(`conformance: ${failed === 0 ? 'every scenario run passed' : `${failed} failed`} (node ${version})`);
process.exitCode = failed === 0 ? 0 : 1;
