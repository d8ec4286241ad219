// CI stage "tarball consumers and runtimes": every package packed as it would be published, installed from the
// tarballs alone into fresh projects, and used the ways users use it — ESM, CommonJS and TypeScript consumers
// (node16, bundler, a browser lib without @types/node), the `sark` command, an app with only core + transport-http +
// transport-sse, and real runtimes: Node 24 (when given), Bun, Deno, workerd and headless Chromium on another origin
// than the gateway, which is started from its own tarball's CLI. Each runtime comes from its npm (or Debian) package;
// one that cannot be installed is skipped with a NOTICE, never silently. Run after `pnpm build`:
//   node scripts/consumers/run.mjs [path to a Node 24 binary]
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'sark-consumers-'));
const API_KEY = 'consumer-key';
const results = [];
const cleanups = [];

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}
async function check(name, fn) {
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    console.log(`ok     ${name}${detail ? `: ${String(detail).trim()}` : ''}`);
  } catch (error) {
    results.push({ name, ok: false });
    const output = [error.stdout, error.stderr].filter(Boolean).join('\n').trim();
    console.log(`FAILED ${name}: ${error.message.split('\n')[0]}${output ? `\n${output.slice(-3000)}` : ''}`);
  }
}
const notice = (text) => console.log(`NOTICE ${text}`);
function npmInstall(dir, specs) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  return run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=warn', ...specs], {
    cwd: dir,
    timeout: 600_000,
  });
}

// 1. Pack every public package as it would be published.
const tarballs = join(work, 'tarballs');
for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(run('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: dir }));
  if (manifest.private) continue;
  run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
}
const tarball = (name) =>
  join(
    tarballs,
    readdirSync(tarballs).find((file) => file.startsWith(`sark-${name}-`)),
  );
const allTarballs = readdirSync(tarballs).map((file) => join(tarballs, file));

await check('every tarball has LICENSE, README, CHANGELOG, repository and no workspace: range', () => {
  for (const file of allTarballs) {
    const listing = run('tar', ['tzf', file]);
    for (const needed of ['package/LICENSE', 'package/README.md', 'package/CHANGELOG.md', 'package/package.json'])
      if (!listing.split('\n').includes(needed)) throw new Error(`${file}: no ${needed}`);
    const manifest = run('tar', ['xzOf', file, 'package/package.json']);
    if (manifest.includes('workspace:')) throw new Error(`${file}: a workspace: range`);
    if (!JSON.parse(manifest).repository) throw new Error(`${file}: no repository`);
  }
  return `${allTarballs.length} tarballs`;
});

// 2. The full client, installed from the tarballs (with TypeScript for the type checks).
const full = join(work, 'full');
await check('npm install of every tarball: no warning', () => {
  const output = npmInstall(full, [...allTarballs, 'typescript@5.9.3', '@types/node@^20.19.0']);
  if (/WARN|Failed to create bin/i.test(output)) throw Object.assign(new Error('npm warned'), { stdout: output });
});
for (const file of readdirSync(here)) if (file !== 'run.mjs') copyFileSync(join(here, file), join(full, file));

// 3. A page server on its own origin, then the dev gateway from its tarball's CLI, allowing that origin.
const pageFiles = new Map();
const pageServer = createServer((req, res) => {
  const path = new URL(req.url, 'http://page').pathname;
  const pages = { '/': '/page.js', '/oauth.html': '/oauth-page.js' };
  const script = pages[path];
  const body = script ? `<!doctype html><script type="module" src="${script}"></script>` : pageFiles.get(path);
  if (body === undefined) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': script ? 'text/html' : 'text/javascript' }).end(body);
});
await new Promise((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
cleanups.push(() => pageServer.close());
const pageOrigin = `http://127.0.0.1:${pageServer.address().port}`;

writeFileSync(join(full, 'gateway.config.json'), JSON.stringify({ apiKey: API_KEY, syntheticServers: 1 }));

/** Starts the dev gateway from its tarball's CLI with `args`; resolves with its URL (exits the run if it fails). */
function startGateway(args) {
  const gatewayProcess = spawn(join(full, 'node_modules', '.bin', 'sark-dev-gateway'), ['--port', '0', ...args], {
    cwd: full,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => gatewayProcess.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the dev gateway did not start: ${seen}`)), 30_000);
    gatewayProcess.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /listening on (\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    gatewayProcess.once('exit', (code) => reject(new Error(`the dev gateway exited (${code}): ${seen}`)));
  }).catch((error) => {
    console.log(`FAILED dev gateway from its tarball: ${error.message}`);
    process.exit(1);
  });
}
const gatewayUrl = await startGateway(['--config', 'gateway.config.json', '--cors-origin', pageOrigin]);
console.log(`dev gateway (from its tarball's CLI) at ${gatewayUrl}; page origin ${pageOrigin}`);

// The same CLI in OAuth mode, in front of a small real MCP server, for the browser sign-in.
const crashy = join(root, 'packages', 'dev-gateway', 'test', 'fixtures', 'crashy-mcp.mjs');
writeFileSync(
  join(full, 'oauth-gateway.config.json'),
  JSON.stringify({ servers: [{ name: 'crashy', command: process.execPath, args: [crashy] }] }),
);
const oauthGatewayUrl = await startGateway([
  '--config',
  'oauth-gateway.config.json',
  '--oauth',
  '--cors-origin',
  pageOrigin,
]);

await check('ESM consumer (Node)', () => run('node', ['app.mjs', gatewayUrl, API_KEY], { cwd: full }));
await check('CommonJS consumer (Node)', () => run('node', ['app.cjs', gatewayUrl, API_KEY], { cwd: full }));
await check('the sark command from its tarball (npm install puts it on node_modules/.bin)', () => {
  const sark = join(full, 'node_modules', '.bin', 'sark');
  const env = { ...process.env, SARK_GATEWAY_URL: gatewayUrl, SARK_API_KEY: API_KEY, XDG_CONFIG_HOME: work };
  const version = run(sark, ['--version'], { env }).trim();
  const names = JSON.parse(run(sark, ['servers', '-o', 'json'], { env })).map((server) => server.name);
  const answer = run(sark, ['call', names[0], 'tool_0', 'value=from-the-tarball'], { env }).trim();
  if (!answer.includes('from-the-tarball')) throw new Error(`sark call answered ${answer}`);
  return `sark ${version}: servers ${names.join(', ')}; call → ${answer}`;
});
const tsc = (name, options, files) =>
  check(`TypeScript: ${name}`, () => {
    const config = { compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, ...options }, files };
    writeFileSync(join(full, `tsconfig.${name}.json`), JSON.stringify(config));
    return run(join(full, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${name}.json`], { cwd: full });
  });
await tsc('node16', { module: 'node16', moduleResolution: 'node16', types: ['node'] }, [
  'types-node.mts',
  'types-node.cts',
]);
await tsc('bundler', { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', types: ['node'] }, [
  'types-node.mts',
]);
await tsc(
  'browser',
  {
    module: 'esnext',
    moduleResolution: 'bundler',
    target: 'es2022',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: [],
  },
  ['types-browser.ts'],
);

// 4. Only core + transport-http + transport-sse, as a browser or edge app installs them.
const httpOnly = join(work, 'http-only');
await check('core + transport-http + transport-sse alone', () => {
  npmInstall(httpOnly, ['core', 'transport-http', 'transport-sse'].map(tarball));
  for (const file of ['http-only.mjs', 'first-event.mjs']) copyFileSync(join(here, file), join(httpOnly, file));
  return run('node', ['http-only.mjs', gatewayUrl, API_KEY], { cwd: httpOnly });
});

// 5. Real runtimes.
const node24 = process.argv[2];
if (node24) await check('Node 24', () => run(node24, ['app.mjs', gatewayUrl, API_KEY], { cwd: full }));
else notice('no Node 24 binary given: the Node 24 consumer is skipped');

const tools = join(work, 'tools');
let toolsInstalled = true;
try {
  npmInstall(tools, ['bun', 'deno', 'workerd', 'playwright-core']);
} catch (error) {
  toolsInstalled = false;
  notice(`the runtimes could not be installed from npm (${error.message.split('\n')[0]}): Bun, Deno, workerd skipped`);
}
const bin = (name) => join(tools, 'node_modules', '.bin', name);
const usable = (name, args) => {
  if (!toolsInstalled || !existsSync(bin(name))) return false;
  try {
    run(bin(name), args, { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
};
if (usable('bun', ['--version']))
  await check('Bun', () => run(bin('bun'), ['app.mjs', gatewayUrl, API_KEY], { cwd: full }));
else notice('Bun could not be installed or started: skipped');
if (usable('deno', ['--version']))
  await check('Deno', () => run(bin('deno'), ['run', '-A', 'app.mjs', gatewayUrl, API_KEY], { cwd: full }));
else notice('Deno could not be installed or started: skipped');

if (usable('workerd', ['--version'])) {
  await check('Cloudflare workerd', async () => {
    await build({
      entryPoints: [join(full, 'worker.mjs')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['workerd', 'worker'],
      outfile: join(full, 'worker.js'),
      logLevel: 'silent',
    });
    const port = await freePort();
    writeFileSync(
      join(full, 'worker.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker), (name = "net", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "net",
  bindings = [ (name = "GATEWAY_URL", text = "${gatewayUrl}"), (name = "API_KEY", text = "${API_KEY}") ],
);
`,
    );
    const workerd = spawn(bin('workerd'), ['serve', 'worker.capnp'], { cwd: full, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    workerd.stdout.on('data', (chunk) => (output += chunk));
    workerd.stderr.on('data', (chunk) => (output += chunk));
    try {
      const response = await retryFetch(`http://127.0.0.1:${port}/`, 30_000);
      const text = await response.text();
      if (response.status !== 200)
        throw Object.assign(new Error(`worker answered ${response.status}`), { stdout: text });
      return text;
    } catch (error) {
      throw Object.assign(error, { stderr: output });
    } finally {
      workerd.kill('SIGKILL');
    }
  });
} else notice('workerd could not be installed or started: skipped');

const chromium = findChromium();
if (chromium && toolsInstalled) {
  /** Bundles `entry` as the page script served at `path`, opens a fresh browser, runs `visit` on a new page in it. */
  const inChromium = async (entry, path, visit) => {
    const bundled = await build({
      entryPoints: [join(full, entry)],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    pageFiles.set(path, bundled.outputFiles[0].text);
    const { chromium: driver } = await import(join(tools, 'node_modules', 'playwright-core', 'index.mjs'));
    const browser = await driver.launch({
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const result = await visit(await browser.newPage());
      if (!result.ok) throw Object.assign(new Error('the page failed'), { stdout: result.summary });
      return result.summary;
    } finally {
      await browser.close();
    }
  };
  await check(`headless Chromium, page on ${pageOrigin}, gateway on another origin (CORS)`, () =>
    inChromium('page.mjs', '/page.js', async (page) => {
      await page.goto(`${pageOrigin}/?${new URLSearchParams({ gateway: gatewayUrl, key: API_KEY })}`);
      await page.waitForFunction(() => window.sarkResult !== undefined, null, { timeout: 30_000 });
      return page.evaluate(() => window.sarkResult);
    }),
  );
  await check(`headless Chromium: a sign-in through the dev gateway's authorization server (OAuth, redirect)`, () =>
    inChromium('oauth-page.mjs', '/oauth-page.js', async (page) => {
      await page.goto(`${pageOrigin}/oauth.html?${new URLSearchParams({ gateway: oauthGatewayUrl })}`);
      // The page leaves for the authorization server and comes back: read the result once the page that set it is up.
      const deadline = Date.now() + 30_000;
      let result;
      while (result === undefined && Date.now() < deadline) {
        result = await page.evaluate(() => window.sarkResult).catch(() => undefined);
        if (result === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      if (result === undefined) throw new Error(`no result from the page (at ${page.url()})`);
      return result;
    }),
  );
} else notice('Chromium (Debian package chromium) or playwright-core is not available: the browser run is skipped');

for (const cleanup of cleanups.reverse()) cleanup();
rmSync(work, { recursive: true, force: true });
const failed = results.filter((result) => !result.ok).length;
console.log(`${results.length - failed} consumer checks passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
async function retryFetch(url, withinMs) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
function findChromium() {
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (existsSync(candidate)) return candidate;
  if (process.getuid?.() !== 0) return null;
  notice('installing Debian chromium for the browser run (apt-get)');
  try {
    run('apt-get', ['install', '-y', '-q', 'chromium'], { timeout: 900_000 });
  } catch {
    return null;
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}
