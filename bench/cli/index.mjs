// bench/cli: how fast `sark` starts — a cold `sark --help` (a new Node process each time, as a person or a script runs
// it) against a bare `node -e 0`, alternating in the same run. Target: within 60 ms of the bare start.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compare, report } from '../lib/measure.mjs';

const bin = fileURLToPath(new URL('../../packages/cli/bin/sark.js', import.meta.url));
const spawnNode = (args) => {
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
};
const ROW = 'cold `sark --help` vs `node -e 0`';

export async function run() {
  const results = [
    await compare(ROW, {
      ours: () => spawnNode([bin, '--help']),
      baseline: () => spawnNode(['-e', '0']),
      iterations: 5,
      rounds: 9,
    }),
  ];
  const [row] = results;
  row.extraMs = (row.oursNsPerOp - row.baselineNsPerOp) / 1e6;
  console.log(
    `sark --help ${(row.oursNsPerOp / 1e6).toFixed(1)} ms, node -e 0 ${(row.baselineNsPerOp / 1e6).toFixed(1)} ms: ` +
      `+${row.extraMs.toFixed(1)} ms (target ≤ +60 ms)`,
  );
  report('bench/cli', results, { [ROW]: '≤ +60 ms' });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
