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
  /** The project's write lock stayed taken past the retry deadline (another writer). */
  | 'BUSY'
  /** The disk (or quota) holding a file is full. */
  | 'DISK_FULL'
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

/**
 * A bad option value or combination, naming the option by its field (`strategy`, `run`). Each
 * face names it in its own words: the CLI as `--strategy`, a dialog next to its field.
 */
export class OptionError extends WinnowError {
  constructor(
    readonly option: string,
    readonly detail: string,
    readonly scope = 'option',
  ) {
    super('INVALID_INPUT', `${scope} "${option}": ${detail}`);
    this.name = 'OptionError';
  }
}

/** The first problem zod found, as an OptionError. */
export function optionErrorFromZod(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, scope = 'option'): OptionError {
  const issue = error.issues[0];
  return new OptionError(issue?.path.map(String).join('.') || '(options)', issue?.message ?? 'invalid value', scope);
}
