/**
 * Facts fixed when the app is built. electron-vite replaces __WINNOW_COMMIT__ with the
 * output of `git rev-parse HEAD` (electron.vite.config.ts); code run from source (tests)
 * and builds made outside a git checkout say "unknown".
 */
declare const __WINNOW_COMMIT__: string | undefined;

export const UNKNOWN_COMMIT = 'unknown';

export const buildCommit: string = typeof __WINNOW_COMMIT__ === 'string' && __WINNOW_COMMIT__ !== '' ? __WINNOW_COMMIT__ : UNKNOWN_COMMIT;
