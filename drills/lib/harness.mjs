// The drill harness: each drill returns one row of figures; a row holds when nothing was lost, nothing executed twice
// and nothing leaked. The table is printed for every drill, the verdict at the end.
import { readFileSync, readdirSync } from 'node:fs';

/** Pids of this process's descendants (children, grandchildren…), read from /proc. */
export function descendants() {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parents.set(Number(entry), Number(fields[1]));
    } catch {
      // Gone while we looked.
    }
  }
  const found = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!found.has(pid) && found.has(ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(process.pid);
  return [...found];
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Handles this process holds, by kind (sockets, timers, child processes), without the ones in `baseline`. */
export function handlesSince(baseline) {
  const now = countBy(process.getActiveResourcesInfo());
  let extra = 0;
  for (const [kind, count] of now)
    if (kind !== 'TTYWrap' && kind !== 'PipeWrap') extra += Math.max(0, count - (baseline.get(kind) ?? 0));
  return extra;
}

/**
 * Handles left once everything is closed, against `baseline` (taken before the drill started its gateway): sockets
 * close asynchronously, so this waits up to a second for them to go.
 */
export async function leakedSince(baseline) {
  await settle(() => handlesSince(baseline) === 0, 1000);
  return handlesSince(baseline);
}

export function resources() {
  return countBy(process.getActiveResourcesInfo());
}

function countBy(kinds) {
  const counts = new Map();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** Waits until `check()` holds or `timeoutMs` passes; resolves with whether it held. */
export async function settle(check, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/**
 * Runs `count` calls, `width` at a time, and waits for them to settle until `deadlineMs`: what succeeded, the errors
 * of those that failed, and how many never settled (lost).
 */
export async function calls(count, width, call, deadlineMs = 60_000) {
  let next = 0;
  let succeeded = 0;
  const errors = [];
  for (let w = 0; w < Math.min(width, count); w++) {
    void (async () => {
      while (next < count) {
        const i = next++;
        try {
          await call(i);
          succeeded++;
        } catch (error) {
          errors.push(error);
        }
      }
    })();
  }
  await settle(() => succeeded + errors.length === count, deadlineMs);
  return { succeeded, errors, lost: count - succeeded - errors.length };
}

const COLUMNS = ['sent', 'succeeded', 'failed (typed)', 'lost', 'duplicated', 'leaked', 'time'];

/** Prints one drill's table and returns whether it held (lost, duplicated and leaked all 0, and its own checks). */
export function report(name, row, checks = []) {
  const cells = [
    row.sent,
    row.succeeded,
    row.failedTyped,
    row.lost,
    row.duplicated,
    row.leaked,
    `${(row.ms / 1000).toFixed(2)} s`,
  ];
  const failures = [
    ...(row.lost !== 0 ? ['calls were lost'] : []),
    ...(row.duplicated !== 0 ? ['executions were duplicated'] : []),
    ...(row.leaked !== 0 ? ['handles or processes leaked'] : []),
    ...checks.filter(([, held]) => !held).map(([what]) => what),
  ];
  console.log(`\n${name}`);
  console.log(COLUMNS.map((c, i) => c.padStart(i === 0 ? 8 : 15)).join(''));
  console.log(cells.map((c, i) => String(c).padStart(i === 0 ? 8 : 15)).join(''));
  if (row.note) console.log(`  ${row.note}`);
  for (const [what, held] of checks) console.log(`  ${held ? '✓' : '✗'} ${what}`);
  console.log(failures.length === 0 ? '  held' : `  FAILED: ${failures.join('; ')}`);
  console.log(JSON.stringify({ drill: name, ...row, held: failures.length === 0 }));
  return failures.length === 0;
}
