import { WinnowError } from '../../../shared/errors';

/**
 * Runs a file reader and turns a stack overflow (from describing or walking absurdly deep
 * JSON such as `[[[[…]]]]`) into an error that names the file, like every other bad input.
 */
export async function withNestingGuard<T>(file: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new WinnowError('INVALID_FILE', `${file}: values are nested too deeply to be a valid record`);
    }
    throw error;
  }
}
