/** Stable error codes that cross the IPC/HTTP boundary. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_FILE'
  | 'NOT_FOUND'
  | 'NO_PROJECT'
  | 'CONFLICT'
  | 'UNSUPPORTED'
  | 'CANCELLED'
  | 'FORBIDDEN'
  | 'INTERNAL';

/** An error meant for the user: its message names the file, record and field involved. */
export class WinnowError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WinnowError';
  }
}
