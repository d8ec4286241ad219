/** The tool ran and reported an error (`isError`): exit code 5, after its result is printed. */
export class ToolFailedError extends Error {
  override readonly name = 'ToolFailedError';
}
