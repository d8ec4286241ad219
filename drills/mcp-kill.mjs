// Drill: a local MCP server (server-everything) is killed in the middle of a call, again and again. Each call in
// flight fails at once with ProcessExitedError (typed, never hanging), the server is restarted, the next call
// succeeds, and no process outlives close().
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ProcessExitedError } from '@sark/core';
import { GatewayClient } from '@sark/gateway';
import { alive, descendants, report, settle } from './lib/harness.mjs';

const require = createRequire(import.meta.url);
const ROUNDS = 10;

function everything() {
  const manifestPath = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const manifest = require(manifestPath);
  return [join(dirname(manifestPath), Object.values(manifest.bin)[0]), 'stdio'];
}

export async function mcpKillDrill() {
  const client = new GatewayClient({});
  const started = performance.now();
  const seenPids = new Set();
  let succeeded = 0;
  let typed = 0;
  let lost = 0;
  try {
    const server = await client.connectLocalServer({
      command: process.execPath,
      args: everything(),
      serverId: 'drill',
      restart: { maxRestarts: ROUNDS, initialDelayMs: 10, jitter: false },
      requestTimeoutMs: 20_000,
    });
    for (let round = 0; round < ROUNDS; round++) {
      await settle(() => server.isRunning, 10_000);
      for (const pid of descendants()) seenPids.add(pid);
      const sentBefore = server.getMetrics().requestsSent;
      const call = server.callTool('trigger-long-running-operation', { duration: 10, steps: 5 });
      let outcome;
      call.then(
        () => (outcome = 'ok'),
        (error) => (outcome = error),
      );
      // Killed while the call runs: the request has reached the server (sent, no answer yet) — 10 s long.
      await settle(() => server.getMetrics().requestsSent > sentBefore, 5_000);
      process.kill(-(server.pid ?? 0), 'SIGKILL');
      if (!(await settle(() => outcome !== undefined, 5_000))) lost++;
      else if (outcome instanceof ProcessExitedError) typed++;
      await settle(() => server.isRunning && server.pid !== undefined, 10_000);
      try {
        await server.callTool('echo', { message: `round ${round}` });
        succeeded++;
      } catch {
        // Counted below as not succeeded.
      }
    }
  } finally {
    await client.close();
  }
  const leaked = [...seenPids].filter(alive).length;
  return report(
    `drill: an MCP server (server-everything) killed mid-call, ${ROUNDS} times`,
    {
      sent: 2 * ROUNDS,
      succeeded,
      failedTyped: typed,
      lost,
      duplicated: 0,
      leaked,
      ms: performance.now() - started,
      note: `${seenPids.size} processes seen; every one gone after close()`,
    },
    [
      ['every call in flight failed with ProcessExitedError', typed === ROUNDS],
      ['every call after a restart succeeded', succeeded === ROUNDS],
    ],
  );
}
