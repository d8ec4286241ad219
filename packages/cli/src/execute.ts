import {
  CircuitBreakerError,
  GatewayConfigError,
  GatewayError,
  GatewayHttpError,
  GatewayNetworkError,
  JsonRpcError,
  PermissionDeniedError,
  ProcessExitedError,
  ProcessStartError,
  RetryExhaustedError,
  TimeoutError,
} from '@sark/core';
import { LoginNeededError } from './login-needed-error';
import { EXIT } from './exit-codes';
import type { ActionContext } from './main';
import { Output } from './output';
import { resolveSettings } from './settings';
import { ToolFailedError } from './tool-failed-error';
import { UsageError } from './usage-error';

/** Runs a command; resolves with its exit code, having printed a failure the way the output format asks. */
export async function execute(context: ActionContext, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    // A command that finished but has something to say by its code (an unhealthy gateway, a denial it printed).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    const code = exitCodeFor(error);
    let output: Output;
    try {
      // An error is one line (JSON with -o json): no table or YAML writer needed.
      output = new Output(await resolveSettings(context.options));
    } catch {
      output = new Output({ output: 'tsv', color: false, quiet: false } as never);
    }
    output.error(error, code);
    return code;
  }
}

/** The documented exit code of a failure (see exit-codes.ts). */
export function exitCodeFor(error: unknown): number {
  if (error instanceof RetryExhaustedError) return exitCodeFor(error.cause);
  if (error instanceof UsageError || error instanceof GatewayConfigError) return EXIT.usage;
  // OAuthError by its code: @sark/oauth is not loaded for a command that never signs in.
  if (error instanceof LoginNeededError || (error as { code?: unknown } | null)?.code === 'ERR_OAUTH') return EXIT.auth;
  if (error instanceof PermissionDeniedError) return EXIT.denied;
  if (error instanceof ToolFailedError) return EXIT.toolError;
  if (error instanceof GatewayHttpError) {
    if (error.status === 401) return EXIT.auth;
    if (error.status === 403) return EXIT.denied;
    if (error.status === 404) return EXIT.toolError;
    if (error.status >= 500 || error.status === 408 || error.status === 429) return EXIT.unreachable;
    return EXIT.unexpected;
  }
  if (
    error instanceof GatewayNetworkError ||
    error instanceof TimeoutError ||
    error instanceof CircuitBreakerError ||
    error instanceof ProcessStartError ||
    error instanceof ProcessExitedError
  ) {
    return EXIT.unreachable;
  }
  // No such tool (the MCP servers answer -32602 "Unknown tool"), or one that failed: the tool's side.
  if (error instanceof JsonRpcError) return EXIT.toolError;
  if (error instanceof GatewayError) return EXIT.unexpected;
  return EXIT.unexpected;
}
