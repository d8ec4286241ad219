import { readFile } from 'node:fs/promises';
import { UsageError } from './usage-error';

/**
 * A tool's arguments from the command line: `key=value` (the value as JSON where it parses — `n=3` is a number,
 * `ok=true` a boolean, `tags=["a"]` an array — else the text), `key:=value` (always the text, whatever it looks
 * like), and `--json` (`'{…}'`, `@file` or `-` for standard input) underneath them.
 */
export async function toolArguments(pairs: readonly unknown[], json: unknown): Promise<Record<string, unknown>> {
  const base = json === undefined ? {} : await jsonArgument(String(json));
  const out: Record<string, unknown> = { ...base };
  for (const pair of pairs.flat()) {
    const text = String(pair);
    const match = /^([^=:]+)(:?=)([\s\S]*)$/.exec(text);
    if (!match) throw new UsageError(`"${text}" is not key=value (or key:=value for a string)`);
    const [, key, operator, value] = match as unknown as [string, string, string, string];
    Object.defineProperty(out, key, {
      value: operator === ':=' ? value : parsed(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function parsed(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function jsonArgument(source: string): Promise<Record<string, unknown>> {
  const text =
    source === '-' ? await readStdin() : source.startsWith('@') ? await readFile(source.slice(1), 'utf8') : source;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('--json: not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('--json: expected a JSON object of arguments');
  }
  return value as Record<string, unknown>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `value`, or the contents of the file after `@` (trimmed): for tokens given on the command line. */
export async function valueOrFile(value: string): Promise<string> {
  return value.startsWith('@') ? (await readFile(value.slice(1), 'utf8')).trim() : value;
}
