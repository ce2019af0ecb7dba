import type { ErrorInfo } from '../../../shared/domain';
import { WinnowError } from '../../../shared/errors';
import { storageErrorWithoutFile } from './storage-errors';

/** Turns anything thrown into the value that crosses the boundary. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof WinnowError) return { code: error.code, message: error.message };
  if (error instanceof Error && error.name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled' };
  if (error && typeof error === 'object' && 'name' in error && (error as Error).name === 'ZodError') {
    return { code: 'INVALID_INPUT', message: (error as Error).message };
  }
  const storage = storageErrorWithoutFile(error);
  if (storage) return { code: storage.code, message: storage.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
