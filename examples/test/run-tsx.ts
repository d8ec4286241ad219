import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const TSX = createRequire(import.meta.url).resolve('tsx/cli');

/** Runs a TypeScript or JavaScript file as a user would (tsx); returns its exit code and everything it printed. */
export function runTsx(
  file: string,
  options: { cwd: string; env: Record<string, string | undefined> },
): Promise<{ code: number | null; output: string }> {
  return runNode([TSX, file], options);
}

/** Runs Node with `args`; returns its exit code and everything it printed. */
export async function runNode(
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}
