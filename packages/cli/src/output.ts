import { redact } from '@sark/core';
import { createSpinner } from 'nanospinner';
import { createColors } from 'picocolors';
import type { Settings } from './settings';

/** One spinner on stderr (a terminal only, never with --quiet); `stop` clears it. */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

/**
 * Everything `sark` prints, in the chosen format — a table on a terminal, tab-separated lines when piped (no header,
 * for `cut` and `awk`), one JSON document, or YAML — always redacted (no token, key or secret-named value), results on
 * stdout, notes and spinners on stderr.
 */
/** What only some formats need, loaded for them alone (a piped run loads neither). */
export interface Formatters {
  readonly Table?: typeof import('cli-table3');
  readonly toYaml?: (value: unknown) => string;
}

/** The formatters `format` needs: cli-table3 for tables, yaml for YAML. */
export async function loadFormatters(format: Settings['output']): Promise<Formatters> {
  if (format === 'table') return { Table: (await import('cli-table3')).default };
  if (format === 'yaml') return { toYaml: (await import('yaml')).stringify };
  return {};
}

export class Output {
  readonly #settings: Settings;
  readonly #formatters: Formatters;
  readonly colors: ReturnType<typeof createColors>;

  constructor(settings: Settings, formatters: Formatters = {}) {
    this.#settings = settings;
    this.#formatters = formatters;
    this.colors = createColors(settings.color);
  }

  get format(): Settings['output'] {
    return this.#settings.output;
  }

  /** Rows of a listing: `columns` name the fields shown in a table or a line; json and yaml get every field. */
  list(rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
    const safe = redact(rows.map((row) => ({ ...row })));
    if (this.#document(safe)) return;
    if (this.format === 'tsv') {
      for (const row of safe) this.#line(columns.map((column) => cell(row[column])).join('\t'));
      return;
    }
    const table = new (this.#formatters.Table as typeof import('cli-table3'))({
      head: columns.map((column) => this.colors.bold(column)),
      style: { head: [], border: [], compact: true },
      chars: BORDERLESS,
    });
    for (const row of safe) table.push(columns.map((column) => cell(row[column])));
    this.#line(rows.length === 0 ? this.colors.dim('(none)') : table.toString());
  }

  /** One thing, field by field. */
  item(value: Readonly<Record<string, unknown>>): void {
    const safe = redact({ ...value });
    if (this.#document(safe)) return;
    const width = Math.max(...Object.keys(safe).map((key) => key.length));
    for (const [key, field] of Object.entries(safe)) {
      const shown = cell(field);
      this.#line(this.format === 'tsv' ? `${key}\t${shown}` : `${this.colors.dim(key.padEnd(width))}  ${shown}`);
    }
  }

  /** A value with no table shape (a tool's result): JSON (indented on a terminal) unless yaml is asked for. */
  value(value: unknown): void {
    const safe = redact(value);
    if (this.format === 'yaml') return this.#line(this.#yaml(safe));
    this.#line(JSON.stringify(safe, null, this.format === 'tsv' ? undefined : 2));
  }

  /** One item of a stream (events): a JSON line with -o json (for `jq`), a YAML document with -o yaml. */
  line(value: unknown): void {
    const safe = redact(value);
    this.#line(this.format === 'yaml' ? `---\n${this.#yaml(safe)}` : JSON.stringify(safe));
  }

  /** A tool's text, as it is (redacted). */
  text(text: string): void {
    this.#line(redact(text));
  }

  /** A line for people, on stderr (nothing with --quiet, or with json/yaml on stdout and no terminal). */
  note(text: string): void {
    if (this.#settings.quiet) return;
    process.stderr.write(`${redact(text)}\n`);
  }

  /**
   * A spinner on stderr while something runs — only where it can animate cleanly: stdout and stderr both a terminal
   * with a known width (nanospinner measures lines by `columns`; a terminal reporting 0 made it loop for ever), not
   * `TERM=dumb`, not CI, never with --quiet. `stop` is idempotent.
   */
  progress(text: string): Progress {
    const { stdout, stderr, env } = process;
    const animates =
      stdout.isTTY === true && stderr.isTTY === true && (stderr.columns ?? 0) > 0 && env['TERM'] !== 'dumb';
    if (this.#settings.quiet || !animates || 'CI' in env) return { update: () => undefined, stop: () => undefined };
    const colour = this.#settings.color ? { color: 'cyan' as const } : {};
    const spinner = createSpinner(redact(text), { stream: stderr, ...colour }).start();
    let stopped = false;
    return {
      update: (next) => {
        if (!stopped) spinner.update({ text: redact(next) });
      },
      stop: () => {
        if (stopped) return;
        stopped = true;
        spinner.stop();
      },
    };
  }

  /** A failure: one JSON line `{"error": …}` on stderr with -o json, else `sark: message`. */
  error(error: unknown, exitCode: number): void {
    const name = error instanceof Error ? error.name : 'Error';
    const message = redact(`${error instanceof Error ? error.message : String(error)}${detailOf(error)}`);
    if (this.format === 'json') {
      const code = (error as { code?: unknown } | null)?.code;
      process.stderr.write(
        `${JSON.stringify({ error: { name, ...(typeof code === 'string' ? { code } : {}), message, exitCode } })}\n`,
      );
      return;
    }
    process.stderr.write(`${this.colors.red('sark:')} ${message}\n`);
  }

  #document(value: unknown): boolean {
    if (this.format === 'json') this.#line(JSON.stringify(value, null, 2));
    else if (this.format === 'yaml') this.#line(this.#yaml(value));
    else return false;
    return true;
  }

  #yaml(value: unknown): string {
    return (this.#formatters.toYaml as (value: unknown) => string)(value).trimEnd();
  }

  #line(text: string): void {
    process.stdout.write(`${text}\n`);
  }
}

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/** A field as one cell: strings as they are (tabs and line breaks made spaces), everything else as JSON. */
function cell(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  return text.replace(/[\t\r\n]+/g, ' ');
}

/** What a gateway said about its error status (`{"detail": …}`), to add to the message. */
function detailOf(error: unknown): string {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body !== 'string' || body === '') return '';
  try {
    const detail = (JSON.parse(body) as { detail?: unknown; error?: unknown }).detail;
    return typeof detail === 'string' ? ` — ${detail.slice(0, 300)}` : '';
  } catch {
    return '';
  }
}
