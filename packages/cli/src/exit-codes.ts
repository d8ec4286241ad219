/** The exit codes of `sark` — documented in `--help` and the README, and tested. */
export const EXIT = Object.freeze({
  ok: 0,
  /** Anything unexpected. */
  unexpected: 1,
  /** A wrong command line, option or argument. */
  usage: 2,
  /** Authentication: a 401, or a sign-in is needed. */
  auth: 3,
  /** The gateway (or server) could not be reached, or did not answer in time. */
  unreachable: 4,
  /** The tool reported an error (`isError`), or there is no such tool or server. */
  toolError: 5,
  /** The policy (or the gateway) denied the call. */
  denied: 6,
});

/** The exit codes as `--help` lists them. */
export function exitCodeHelp(): string {
  return [
    'Exit codes:',
    '  0  success',
    '  1  unexpected error',
    '  2  usage: a wrong command, option or argument',
    '  3  authentication: 401, or `sark login` needed',
    '  4  the gateway or server is unreachable, or timed out',
    '  5  the tool reported an error, or no such tool or server',
    '  6  denied by policy',
  ].join('\n');
}
