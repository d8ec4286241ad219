/** A sign-in is needed and this command cannot do it (only `sark login` opens a browser): exit code 3. */
export class LoginNeededError extends Error {
  override readonly name = 'LoginNeededError';
}
