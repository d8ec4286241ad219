import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  ClientClosedError,
  ProcessExitedError,
  GatewayConfigError,
  ProcessStartError,
  holdSecret,
  redactingLogger,
  silentLogger,
  type LocalProcessTransport,
  type Logger,
  type RequestSendOptions,
} from '@sark/core';
import {
  checkFunction,
  checkInteger,
  checkNonNegative,
  checkOptionsObject,
  checkPositive,
  clampTimerMs,
  delay,
  redactCut,
} from '@sark/core/internal';
import { checkChildEnvOptions, childEnv, secretEnvValues, type ChildEnvOptions } from './child-env';
import {
  JsonRpcPeer,
  type JsonRpcPeerMetrics,
  type NotificationHandler,
  type PeerDiagnosis,
  type RequestHandler,
} from '@sark/mcp';
import { LineSplitter } from './line-splitter';
import { groupAlive, signalGroup, trackGroup, untrackGroup } from './process-group';
import { StderrTail } from './stderr-tail';

/** Options of a {@link StdioTransport}. */
export interface StdioTransportOptions extends ChildEnvOptions {
  /** The program; started directly, never through a shell. */
  command: string;
  args?: readonly string[] | undefined;
  cwd?: string | undefined;
  /** Largest accepted stdout line. Default 64 MiB. */
  maxMessageBytes?: number | undefined;
  /** Default per-request deadline. Default 30 000. */
  requestTimeoutMs?: number | undefined;
  /** How much of stderr to keep for error messages. Default 8 KiB. */
  stderrTailBytes?: number | undefined;
  logger?: Logger | undefined;
}

/** How a process ended. */
export interface ExitInfo {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** True when it ended because `stop()` asked it to. */
  readonly expected: boolean;
}

/** Options of {@link StdioTransport.stop}. */
export interface StopOptions {
  /** How long to wait after SIGTERM before SIGKILL. Default 5 000. */
  graceMs?: number | undefined;
}

const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** How long a child gets to exit on its own once its stdin is closed. */
const STDIN_CLOSE_WAIT_MS = 1000;
/** How long the rest of a crashed server's process group gets after SIGTERM before SIGKILL. */
const CRASH_REAP_GRACE_MS = 1000;
/** How long after the child's exit we wait for the rest of its stdout before failing pending requests. */
const STDOUT_DRAIN_MS = 50;

/**
 * A child process speaking JSON-RPC 2.0 over NDJSON on stdin/stdout. It is spawned without a shell, with a safe
 * environment, in its own process group (so `stop()` reaches its children too). If it exits unexpectedly every
 * pending request rejects at once with {@link ProcessExitedError} carrying the exit code, signal and stderr tail.
 */
export class StdioTransport implements LocalProcessTransport {
  readonly command: string;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #peer: JsonRpcPeer;
  readonly #stderr: StderrTail;
  readonly #logger: Logger;
  readonly #exitHandlers = new Set<(info: ExitInfo) => void>();
  readonly #exited: Promise<ExitInfo>;
  readonly #releaseSecrets: () => void;
  #running = true;
  #stopping: Promise<void> | null = null;
  #oversizedLines = 0;
  /** The stderr tail as it was at exit, redacted while the environment's secrets were still held. */
  #tailAtExit: string | null = null;

  private constructor(
    child: ChildProcessWithoutNullStreams,
    options: StdioTransportOptions,
    logger: Logger,
    releaseSecrets: () => void,
  ) {
    this.command = options.command;
    this.#releaseSecrets = releaseSecrets;
    this.#child = child;
    this.#logger = logger;
    this.#stderr = new StderrTail(options.stderrTailBytes ?? 8192);
    this.#peer = new JsonRpcPeer((line) => this.#writeLine(line), {
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      logger,
    });
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const splitter = new LineSplitter(maxMessageBytes, {
      onLine: (line) => this.#peer.receive(line.toString('utf8')),
      onOversized: (bytes, head, tail) => {
        this.#oversizedLines++;
        logger.warn({ bytes, command: this.command }, 'dropped a stdout message larger than maxMessageBytes');
        this.#peer.failOversized(head.toString('utf8'), tail.toString('utf8'), bytes, maxMessageBytes);
      },
    });
    child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => this.#stderr.push(chunk));
    child.stdin.on('error', (error) => logger.debug({ err: error }, 'stdin of the local server failed'));
    this.#exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(this.#onExit(code, signal))));
  }

  /** Spawns the process; rejects with {@link ProcessStartError} when it cannot be started. */
  static async start(options: StdioTransportOptions): Promise<StdioTransport> {
    checkStdioOptions(options);
    const logger = redactingLogger(options.logger ?? silentLogger);
    const env = childEnv(options);
    // The environment's secrets are secrets in use for as long as the process lives.
    const releases = secretEnvValues(env, options.secretEnv).map(holdSecret);
    const releaseSecrets = (): void => releases.forEach((release) => release());
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(options.command, options.args ?? [], {
        cwd: options.cwd,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (error) {
      // Made while the environment's secrets are still held, so its message is redacted.
      const failure = startError(options.command, error);
      releaseSecrets();
      throw failure;
    }
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (error) => reject(startError(options.command, error)));
      });
    } finally {
      if (child.pid === undefined) releaseSecrets();
    }
    if (child.pid !== undefined) trackGroup(child.pid);
    logger.debug({ command: options.command, pid: child.pid }, 'local server started');
    return new StdioTransport(child, options, logger, releaseSecrets);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get isRunning(): boolean {
    return this.#running;
  }

  /** The last lines the process wrote to stderr, redacted (its environment's secrets included). */
  get stderrTail(): string {
    return this.#tailAtExit ?? redactCut(this.#stderr.toString(), { cutAtStart: true });
  }

  getMetrics(): JsonRpcPeerMetrics & { readonly oversizedMessages: number } {
    return { ...this.#peer.getMetrics(), oversizedMessages: this.#oversizedLines };
  }

  /** Resolves when the process has exited (for any reason). */
  get exited(): Promise<ExitInfo> {
    return this.#exited;
  }

  sendRequest<T = unknown>(method: string, params?: unknown, options: RequestSendOptions = {}): Promise<T> {
    return this.#peer.request<T>(method, params, options);
  }

  async sendNotification(method: string, params?: unknown): Promise<void> {
    this.#peer.notify(method, params);
  }

  /** What every later request carries in `params._meta` (MCP 2026-07-28; `null`: nothing). */
  setRequestMeta(meta: Readonly<Record<string, unknown>> | null): void {
    this.#peer.setRequestMeta(meta);
  }

  onNotification(handler: NotificationHandler): () => void {
    return this.#peer.onNotification(handler);
  }

  /** Answers server→client requests for `method`; returns a function that removes the handler. */
  setRequestHandler(method: string, handler: RequestHandler): () => void {
    return this.#peer.setRequestHandler(method, handler);
  }

  /** What the peer saw that did not fit (for handshake errors). */
  diagnose(): PeerDiagnosis {
    return this.#peer.diagnose();
  }

  /** Called once when the process exits; returns a function that removes the handler. */
  onExit(handler: (info: ExitInfo) => void): () => void {
    this.#exitHandlers.add(checkFunction(handler, 'onExit(handler)'));
    return () => this.#exitHandlers.delete(handler);
  }

  /**
   * Stops the process: closes stdin and waits briefly for it to leave, then SIGTERM to the whole group, waits
   * `graceMs`, then SIGKILL. Resolves when the process and the rest of its group are gone. Idempotent.
   */
  stop(options: StopOptions = {}): Promise<void> {
    let graceMs: number;
    try {
      graceMs = checkNonNegative(checkOptionsObject(options, 'stop(options)').graceMs ?? 5000, 'stop(options.graceMs)');
    } catch (error) {
      return Promise.reject(error);
    }
    this.#stopping ??= this.#stop(graceMs);
    return this.#stopping;
  }

  close(): Promise<void> {
    return this.stop();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #stop(graceMs: number): Promise<void> {
    this.#peer.close(new ClientClosedError({ message: 'The local server was stopped' }));
    const pgid = this.#child.pid;
    if (this.#running) {
      this.#child.stdin.end();
      if (!(await this.#exitsWithin(STDIN_CLOSE_WAIT_MS)) && pgid !== undefined) {
        signalGroup(pgid, 'SIGTERM');
        if (!(await this.#exitsWithin(graceMs))) signalGroup(pgid, 'SIGKILL');
      }
      await this.#exited;
    }
    await this.#reapGroup(graceMs);
    this.#child.stdout.destroy();
    this.#child.stderr.destroy();
  }

  /** The leader is gone; its children (npx → node, a server's own helpers) may not be: SIGTERM, then SIGKILL. */
  async #reapGroup(graceMs: number): Promise<void> {
    const pgid = this.#child.pid;
    if (pgid === undefined) return;
    if (groupAlive(pgid)) {
      signalGroup(pgid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (groupAlive(pgid) && Date.now() < deadline) await delay(20);
      signalGroup(pgid, 'SIGKILL');
    }
    untrackGroup(pgid);
  }

  #exitsWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), clampTimerMs(ms));
      void this.#exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async #onExit(exitCode: number | null, signal: NodeJS.Signals | null): Promise<ExitInfo> {
    this.#running = false;
    const expected = this.#stopping !== null;
    // A response written just before the exit may still be in the pipe: give stdout a moment to drain.
    if (!this.#child.stdout.readableEnded) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STDOUT_DRAIN_MS);
        this.#child.stdout.once('end', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const info: ExitInfo = Object.freeze({ exitCode, signal, expected });
    this.#tailAtExit = this.stderrTail;
    if (!expected) {
      const error = new ProcessExitedError({ exitCode, signal, stderrTail: this.#tailAtExit });
      this.#logger.warn({ command: this.command, exitCode, signal }, 'local server exited unexpectedly');
      this.#peer.close(error);
      // A crash leaves the rest of the group (a grandchild, npx's node) behind: it is reaped now, not at close().
      await this.#reapGroup(CRASH_REAP_GRACE_MS);
    }
    for (const handler of this.#exitHandlers) handler(info);
    this.#releaseSecrets();
    return info;
  }

  #writeLine(line: string): void {
    if (!this.#running || this.#child.stdin.destroyed || this.#child.stdin.writableEnded) {
      throw new ProcessExitedError({
        exitCode: this.#child.exitCode,
        signal: this.#child.signalCode,
        stderrTail: this.stderrTail,
        message: 'The local server is not running',
      });
    }
    this.#child.stdin.write(line);
  }
}

function startError(command: string, error: unknown): ProcessStartError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ProcessStartError({ command, message: `Could not start "${command}": ${detail}`, cause: error });
}

/** Every option is checked before anything is spawned: a bad one is a `GatewayConfigError` naming it. */
export function checkStdioOptions(options: StdioTransportOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new GatewayConfigError({ option: 'options', message: 'must be an object with a command' });
  if (typeof options.command !== 'string' || options.command === '')
    throw new GatewayConfigError({ option: 'command', message: 'must be a non-empty string' });
  // A NUL cannot reach a process (the OS cuts strings there); Node would throw a TypeError quoting the value.
  if (options.command.includes('\0'))
    throw new GatewayConfigError({ option: 'command', message: 'must not hold a NUL character' });
  if (options.args !== undefined) {
    if (!Array.isArray(options.args))
      throw new GatewayConfigError({ option: 'args', message: 'must be an array of strings' });
    options.args.forEach((arg: unknown, index) => {
      if (typeof arg !== 'string' || arg.includes('\0'))
        throw new GatewayConfigError({ option: `args[${index}]`, message: 'must be a string without NUL characters' });
    });
  }
  if (options.cwd !== undefined && (typeof options.cwd !== 'string' || options.cwd.includes('\0')))
    throw new GatewayConfigError({ option: 'cwd', message: 'must be a string without NUL characters' });
  checkChildEnvOptions(options);
  if (options.requestTimeoutMs !== undefined) checkPositive(options.requestTimeoutMs, 'requestTimeoutMs');
  if (options.maxMessageBytes !== undefined) checkInteger(options.maxMessageBytes, 'maxMessageBytes', 1);
  if (options.stderrTailBytes !== undefined) checkInteger(options.stderrTailBytes, 'stderrTailBytes', 0);
}
