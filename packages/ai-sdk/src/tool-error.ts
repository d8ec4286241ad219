import { PermissionDeniedError, redact } from '@sark/core';
import { shownValue } from '@sark/core/internal';

/** A failed tool call as the model reads it: its text is exactly the message (no `Error:` in front). */
export class ToolCallError extends Error {
  override readonly name = 'ToolCallError';

  constructor(message: string) {
    super(typeof message === 'string' ? message : 'The tool call failed');
  }

  override toString(): string {
    return this.message;
  }
}

/** The message the model reads for a failed call: a denial says so; anything else is redacted and cut. */
export function modelReadableError(error: unknown): ToolCallError {
  if (error instanceof PermissionDeniedError) {
    return new ToolCallError(redact(`denied by policy: ${error.reason ?? error.message}`).slice(0, 1000));
  }
  // Never throws: whatever was thrown (an object without a prototype, a symbol) is described, not converted.
  const message =
    error instanceof Error ? `${shownValue(error.name)}: ${shownValue(error.message)}` : shownValue(error);
  return new ToolCallError(redact(message).slice(0, 1000));
}

/**
 * Runs one tool call for the model. A failure becomes an error the model can read (the AI SDK hands it back as the
 * tool's result, so the agent loop goes on); an abort of the whole generation stays an abort.
 */
export async function runForModel<T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw modelReadableError(error);
  }
}
