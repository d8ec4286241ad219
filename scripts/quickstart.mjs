#!/usr/bin/env node
// The README's two quick-start commands (`npm run demo`, `npm test`) land here. They must work on a machine that
// has only Node and npm, so this script brings the pinned pnpm (through corepack, or npm as a fallback), installs
// the workspace from the lockfile, builds it, and then runs the demo or the whole test suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const task = process.argv[2];
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  .packageManager.split('@')[1]
  .split('+')[0];
const toolsBin = join(root, '.tools', 'bin');
const env = {
  ...process.env,
  PATH: `${toolsBin}${delimiter}${process.env.PATH ?? ''}`,
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  COREPACK_ENABLE_STRICT: '0',
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  DO_NOT_TRACK: '1',
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    stdio: 'inherit',
    shell: process.platform === 'win32',
    ...options,
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function pnpmWorks() {
  const result = spawnSync('pnpm', ['--version'], {
    cwd: root,
    env,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  return result.status === 0 && result.stdout.trim() === pnpmVersion;
}

function ensurePnpm() {
  if (pnpmWorks()) return;
  mkdirSync(toolsBin, { recursive: true });
  const viaCorepack = spawnSync('corepack', ['enable', '--install-directory', toolsBin, 'pnpm'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (viaCorepack.status === 0 && pnpmWorks()) return;
  console.log(`corepack is not usable here; installing pnpm ${pnpmVersion} with npm into .tools/`);
  const status = run('npm', ['install', '--no-save', '--prefix', join(root, '.tools'), `pnpm@${pnpmVersion}`]);
  if (status !== 0 || !existsSync(join(root, '.tools', 'node_modules', '.bin'))) {
    console.error('Could not install pnpm. Install it yourself (https://pnpm.io) and run this again.');
    process.exit(1);
  }
  env.PATH = `${join(root, '.tools', 'node_modules', '.bin')}${delimiter}${env.PATH}`;
}

function step(label, command, args) {
  console.log(`\n▶ ${label}`);
  const status = run(command, args);
  if (status !== 0) {
    console.error(`✖ ${label} failed (exit ${status})`);
    process.exit(status);
  }
}

if (task !== 'test' && task !== 'demo') {
  console.error('usage: node scripts/quickstart.mjs test|demo');
  process.exit(2);
}
ensurePnpm();
step('Installing dependencies (pnpm, frozen lockfile)', 'pnpm', ['install', '--frozen-lockfile', '--prefer-offline']);
step('Building packages', 'pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
if (task === 'test') {
  process.exit(run('node', ['scripts/test-summary.mjs', ...process.argv.slice(3)]));
}
process.exit(run('pnpm', ['--silent', '--filter', '@sark/examples', 'run', 'main-job']));
