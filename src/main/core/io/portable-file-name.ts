import path from 'node:path';

/**
 * A name the user gave (an upload's, a file they picked) as a plain file name that is safe on
 * every platform: its last part only, letters, digits, `.`, `_` and `-` (anything else becomes
 * `_`), never hidden (a leading dot becomes `_`), and at most 100 characters with the
 * extension kept (file names have a 255-byte limit; the caller may add a prefix or suffix).
 */
export function portableFileName(name: string): string {
  const raw = path.basename(name).replace(/[^\w.-]/g, '_').replace(/^\.+/, '_');
  const ext = path.extname(raw).slice(0, 16);
  return raw.length > 100 ? raw.slice(0, 100 - ext.length) + ext : raw;
}
