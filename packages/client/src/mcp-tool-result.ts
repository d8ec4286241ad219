import { GatewayConfigError, type InvokeOptions, type InvokeResult } from '@sark/core';
import { checkFunction } from '@sark/core/internal';
import { effectiveLimit } from '@sark/core/internal';
import type { McpCallToolResult } from '@sark/transport-mcp-http';

/**
 * A tool's MCP result as `invokeTool` answers in every dialect — the shape the SARK gateway gives:
 * `{ status: 'success' | 'error', result }` (`'error'` when the tool reported `isError`).
 */
export function toolResult(result: McpCallToolResult): InvokeResult {
  return { status: result.isError === true ? 'error' : 'success', result };
}

/** The options of one `tools/call`: the signal, the deadline, and the progress (each update restarts the deadline). */
export function progressOptions(options: InvokeOptions) {
  const { signal, timeoutMs, onProgress } = options;
  if (onProgress === undefined) return { signal, timeoutMs };
  return {
    signal,
    timeoutMs,
    onProgress: checkFunction(onProgress, 'invokeTool: onProgress'),
    resetTimeoutOnProgress: true,
  };
}

/** One page (from 1) of a list the gateway does not page itself. */
export function toolPage<T>(all: readonly T[], page: number, pageSize: number): readonly T[] {
  if (!Number.isSafeInteger(page) || page < 1)
    throw new GatewayConfigError({ option: 'paging', message: 'page must be an integer ≥ 1' });
  if (!Number.isSafeInteger(pageSize) || pageSize < 1)
    throw new GatewayConfigError({ option: 'paging', message: 'pageSize must be an integer ≥ 1' });
  const limit = effectiveLimit(pageSize);
  return Object.freeze(all.slice((page - 1) * limit, page * limit));
}
