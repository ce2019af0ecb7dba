import { readJsonObjectFile } from '../io/json-object-file';
import { withNestingGuard } from '../errors/nesting-guard';
import type { z } from 'zod';
import { WinnowError } from '../../../shared/errors';
import { ModelManifest } from './manifest';

/** `input.inputNames.inputIds`, `labels[3]`: the path as the user would look for it in the file. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out || '(top level)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line a user can act on: which field, what it holds, what is wrong. */
export function describeManifestIssue(file: string, root: unknown, issue: z.core.$ZodIssue): string {
  const field = fieldPath(issue.path);
  const value = valueAt(root, issue.path);
  if (issue.code === 'invalid_type' && value === undefined) {
    return `${file}: ${field} is missing`;
  }
  return `${file}: ${field} is ${shortJson(value)}: ${issue.message}`;
}

/** Reads and validates `winnow-model.json`; every error names the file and the field. */
export async function readManifestFile(file: string): Promise<ModelManifest> {
  return withNestingGuard(file, () => readManifestFileUnguarded(file));
}

async function readManifestFileUnguarded(file: string): Promise<ModelManifest> {
  const value = await readJsonObjectFile(file, 'a JSON object (the model manifest)');
  const parsed = ModelManifest.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 5).map((issue) => describeManifestIssue(file, value, issue));
    const more = parsed.error.issues.length > 5 ? `\n(and ${parsed.error.issues.length - 5} more problems)` : '';
    throw new WinnowError('INVALID_FILE', lines.join('\n') + more);
  }
  return parsed.data;
}
