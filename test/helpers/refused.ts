import { expect } from 'vitest';
import { WinnowError } from '../../src/shared/errors';

/**
 * Runs a reader that must refuse `file` as INVALID_FILE with a message that starts with the
 * file's path (so the user knows which file); returns the message for the caller's checks.
 */
export async function invalidFileMessage(file: string, read: (file: string) => Promise<unknown>): Promise<string> {
  try {
    await read(file);
  } catch (error) {
    expect(error).toBeInstanceOf(WinnowError);
    expect((error as WinnowError).code).toBe('INVALID_FILE');
    const message = (error as Error).message;
    expect(message.startsWith(`${file}: `)).toBe(true);
    return message;
  }
  throw new Error(`expected ${file} to be refused`);
}
