import type { Output } from './output';
import { ToolFailedError } from './tool-failed-error';

/** A progress notification as the spinner shows it: `tool: 2/5 message`. */
export function progressText(
  toolName: string,
  { progress, total, message }: { progress: number; total?: number; message?: string },
): string {
  return `${toolName}: ${progress}${total === undefined ? '' : `/${total}`}${message ? ` ${message}` : ''}`;
}

/**
 * A tool's result: its text on a terminal or in a pipe (the text contents, one after another; other contents as
 * JSON), the whole result as json or yaml. A result with `isError` (or an error status) is printed, then exit 5.
 */
export function printToolResult(output: Output, result: unknown, failed = false): void {
  const content = (result as { content?: unknown } | null)?.content;
  if ((output.format === 'table' || output.format === 'tsv') && Array.isArray(content)) {
    for (const part of content) {
      const text = (part as { type?: unknown; text?: unknown } | null)?.text;
      if (typeof text === 'string') output.text(text);
      else output.value(part);
    }
  } else {
    output.value(result);
  }
  if (failed || (result as { isError?: unknown } | null)?.isError === true) {
    throw new ToolFailedError('the tool reported an error');
  }
}
