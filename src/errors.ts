/** A problem the user can fix: printed as one line, exit code 2, never with a stack unless --debug. */
export class UserError extends Error {
  override name = 'UserError';
}
