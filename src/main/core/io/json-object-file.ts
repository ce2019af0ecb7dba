import fs from 'node:fs';
import { WinnowError } from '../../../shared/errors';
import { parseJsonText } from './json-syntax';

/** Reads a small JSON file that must hold one object; errors name the file. */
export async function readJsonObjectFile(file: string, what = 'a JSON object'): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new WinnowError('NOT_FOUND', `${file}: file not found`);
    throw error;
  }
  const value = parseJsonText(text.replace(/^\uFEFF/, ''), file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WinnowError('INVALID_FILE', `${file}: must hold ${what}`);
  }
  return value as Record<string, unknown>;
}
