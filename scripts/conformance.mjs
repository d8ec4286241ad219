// The official MCP conformance suite against our Streamable HTTP client (RemoteServer with OAuthClient, from dist).
// Usage: node scripts/conformance.mjs [node-binary]. The suite needs Node >= 22: CI passes the Node 24 it fetched.
// It is installed from npm into a temporary directory (pinned); if it cannot be installed, a NOTICE says so.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUITE = '@modelcontextprotocol/conformance@0.1.16';
// Every client scenario of the suite: the core ones, the 14 of the auth suite, the 2 back-compat, the 3 draft and the
// 3 extension ones (`conformance list` prints them).
const SCENARIOS = [
  'initialize',
  'tools_call',
  'elicitation-sep1034-client-defaults',
  'sse-retry',
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
  'auth/2025-03-26-oauth-metadata-backcompat',
  'auth/2025-03-26-oauth-endpoint-fallback',
  'auth/resource-mismatch',
  'auth/offline-access-scope',
  'auth/offline-access-not-supported',
  'auth/client-credentials-jwt',
  'auth/client-credentials-basic',
  'auth/cross-app-access-complete-flow',
];
const node = process.argv[2] ?? process.execPath;
// RemoteServer + OAuthClient (packages/oauth/conformance/client.mjs, from the packages' dist: build first).
const client = fileURLToPath(new URL('../packages/oauth/conformance/client.mjs', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'sark-conformance-'));
try {
  try {
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--silent', SUITE], {
      cwd: dir,
      stdio: 'ignore',
      timeout: 300_000,
    });
  } catch {
    console.log(`NOTICE: ${SUITE} could not be installed from the npm registry; the conformance stage is skipped.`);
    process.exit(0);
  }
  const cli = join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  let failed = 0;
  for (const scenario of SCENARIOS) {
    const run = spawnSync(node, [cli, 'client', '--command', `${node} ${client}`, '--scenario', scenario], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const plain = `${run.stdout ?? ''}${run.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '');
    const result = /Passed: \d+\/\d+, \d+ failed, \d+ warnings/.exec(plain);
    const ok = run.status === 0;
    if (!ok) failed++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${scenario}: ${result ? result[0] : `exit ${run.status}`}`);
    if (!ok) console.log(plain.slice(-6000));
  }
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const passed = SCENARIOS.length - failed;
  console.log(`conformance: ${passed} of ${SCENARIOS.length} scenarios passed (${SUITE}, node ${version})`);
  process.exitCode = failed === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
