// The benchmark harness: ours and the baseline run in the same process, alternating in rounds after a warm-up,
// so machine noise hits both alike. Reports medians per operation and the ratio ours ÷ baseline.
import { performance } from 'node:perf_hooks';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function timeBatch(fn, iterations) {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return ((performance.now() - started) * 1e6) / iterations; // ns per operation
}

/** How long each side runs before it is measured: one batch was too little for the JIT (a first row read 1.14 where
 * the same comparison read 1.05 once warm). */
const WARM_UP_MS = 500;

async function warmUp(fn, iterations) {
  const until = performance.now() + WARM_UP_MS;
  do await timeBatch(fn, iterations);
  while (performance.now() < until);
}

/**
 * Compares `ours` with `baseline`: `rounds` alternating batches of `iterations` calls each (after each ran for
 * {@link WARM_UP_MS}), returning median ns/op of both, their ratio, and the lowest and highest ratio of a single round.
 */
export async function compare(name, { ours, baseline, iterations = 2000, rounds = 15 }) {
  await warmUp(ours, iterations);
  await warmUp(baseline, iterations);
  const oursNs = [];
  const baselineNs = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      oursNs.push(await timeBatch(ours, iterations));
      baselineNs.push(await timeBatch(baseline, iterations));
    } else {
      baselineNs.push(await timeBatch(baseline, iterations));
      oursNs.push(await timeBatch(ours, iterations));
    }
  }
  const result = { name, oursNsPerOp: median(oursNs), baselineNsPerOp: median(baselineNs) };
  result.ratio = result.oursNsPerOp / result.baselineNsPerOp;
  // The spread: each round's ratio (ours and the baseline ran back to back in it), lowest and highest.
  const roundRatios = oursNs.map((ns, round) => ns / baselineNs[round]);
  result.ratioMin = Math.min(...roundRatios);
  result.ratioMax = Math.max(...roundRatios);
  result.rounds = rounds;
  return result;
}

/** Prints the human table and then one JSON line per result. */
export function report(suite, results, targets = {}) {
  console.log(`\n${suite}`);
  console.log(
    'benchmark'.padEnd(48),
    'ours'.padStart(14),
    'baseline'.padStart(14),
    'ratio'.padStart(8),
    'rounds min–max'.padStart(17),
    ' target',
  );
  for (const r of results) {
    const target = targets[r.name] ?? '';
    const spread = r.ratioMin === undefined ? '' : `${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)} (${r.rounds})`;
    console.log(
      r.name.padEnd(48),
      fmt(r.oursNsPerOp).padStart(14),
      fmt(r.baselineNsPerOp).padStart(14),
      r.ratio.toFixed(3).padStart(8),
      spread.padStart(17),
      ` ${target}`,
    );
  }
  for (const r of results) console.log(JSON.stringify({ suite, ...r, target: targets[r.name] ?? null }));
}

function fmt(ns) {
  return ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms/op`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(2)} µs/op`
      : `${ns.toFixed(0)} ns/op`;
}
