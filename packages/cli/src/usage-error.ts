/** A wrong command line, option, argument or config: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
