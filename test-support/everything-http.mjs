// server-everything from npm in its Streamable HTTP mode (the official SDK's server transport) on 127.0.0.1, for the
// RemoteServer tests and the mcp-http benchmark. Plain JavaScript so the benchmarks (run by node) can load it too.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** A port nobody listens on right now (the OS picks it). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startEverythingHttp() {
  const manifestPath = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const entry = join(dirname(manifestPath), Object.values(require(manifestPath).bin)[0]);
  const port = await freePort();
  const child = spawn(process.execPath, [entry, 'streamableHttp'], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk.toString()));
  child.stderr.on('data', (chunk) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!output.includes(`listening on port ${port}`)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`server-everything did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
