import { withNestingGuard } from '../errors/nesting-guard';
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { z } from 'zod';
import { WinnowError } from '../../../shared/errors';
import { AtomicFileWriter } from './atomic-file';
import { parseJsonText } from './json-syntax';

/**
 * Reference labels from a relabelling effort, in either of the two published styles:
 * TACRev (Alt et al. 2020), a JSON array of `{"id", "relation"}`; Re-TACRED (Stoica et al.
 * 2021), a JSON object `{id: label}`.
 */
export type PatchStyle = 'tacrev' | 'retacred';

export interface ReferencePatch {
  style: PatchStyle;
  /** id -> reference label, in file order. */
  labels: Map<string, string>;
}

/**
 * The published patches are a few MB (Re-TACRED train: 58k entries, about 2.4 MB). A file
 * far larger is almost certainly not a patch, and reading it whole would take a string
 * near V8's limit, so it is refused before it is read.
 */
export const MAX_PATCH_BYTES = 200 * 1024 * 1024;

const TacrevEntry = z.looseObject({
  id: z.union([z.string().min(1, 'must not be empty'), z.number().int()], { error: 'must be a string (the TACRED example id)' }),
  relation: z.string({ error: 'must be a string (the reference label)' }).min(1, 'must not be empty'),
});

function styleFromFirstCharacter(file: string, text: string): PatchStyle {
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) throw new WinnowError('INVALID_FILE', `${file}: is empty; expected a TACRev patch ([{"id", "relation"}, ...]) or a Re-TACRED patch ({"id": "label", ...})`);
  if (first === '[') return 'tacrev';
  if (first === '{') return 'retacred';
  throw new WinnowError(
    'INVALID_FILE',
    // The character itself is not shown: messages never echo a file's contents.
    `${file}: does not start with "[" or "{"; a reference patch is a JSON array ([{"id", "relation"}, ...], TACRev style) or a JSON object ({"id": "label", ...}, Re-TACRED style)`,
  );
}

/** Index just past the JSON string that opens at `start` (text[start] === '"'). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return text.length;
}

/**
 * The members of a JSON object in file order, repeats included. JSON.parse keeps only the
 * last of a repeated key, which would hide a conflicting duplicate; the text has already
 * been validated by JSON.parse, so this walk can be simple.
 */
function* objectMembers(text: string): Generator<{ key: string; value: unknown }> {
  let i = text.indexOf('{') + 1;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  for (;;) {
    skipSpace();
    if (text[i] === '}' || i >= text.length) return;
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = keyEnd;
    skipSpace();
    i++; // ':'
    skipSpace();
    const valueStart = i;
    let depth = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i = endOfString(text, i);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      i++;
    }
    yield { key, value: JSON.parse(text.slice(valueStart, i)) };
    if (text[i] === ',') i++;
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Reads a TACRev or Re-TACRED patch, telling the style from the first non-space character. */
export async function readReferencePatch(file: string): Promise<ReferencePatch> {
  return withNestingGuard(file, () => readReferencePatchUnguarded(file));
}

async function readReferencePatchUnguarded(file: string): Promise<ReferencePatch> {
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new WinnowError('NOT_FOUND', `${file}: file not found`);
    throw error;
  }
  if (size > MAX_PATCH_BYTES) {
    throw new WinnowError(
      'INVALID_FILE',
      `${file}: is ${(size / 1024 / 1024).toFixed(0)} MB; reference patches over ${MAX_PATCH_BYTES / 1024 / 1024} MB are not read (the published ones are a few MB), is this the right file?`,
    );
  }
  const bytes = await fs.promises.readFile(file);
  // Decoding would replace bad bytes (a label "per:ti\uFFFD\uFFFDtle" nobody wrote): refuse instead.
  if (!isUtf8(bytes)) {
    throw new WinnowError('INVALID_FILE', `${file}: line ${firstNonUtf8Line(bytes)}: is not valid UTF-8 (save the file as UTF-8)`);
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const style = styleFromFirstCharacter(file, text);
  const parsed = parseJsonText(text, file);

  const labels = new Map<string, string>();
  const firstSeen = new Map<string, string>();
  const add = (id: string, label: string, where: string) => {
    const before = labels.get(id);
    if (before !== undefined && before !== label) {
      throw new WinnowError('INVALID_FILE', `${file}: ${where}: id "${id}" is labelled "${label}" but ${firstSeen.get(id)} labels it "${before}"`);
    }
    if (before === undefined) {
      labels.set(id, label);
      firstSeen.set(id, where);
    }
  };

  if (style === 'tacrev') {
    (parsed as unknown[]).forEach((entry, index) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new WinnowError('INVALID_FILE', `${file}: entry ${index}: is ${describe(entry)}, not an object {"id", "relation"}`);
      }
      const checked = TacrevEntry.safeParse(entry);
      if (!checked.success) {
        const issue = checked.error.issues[0]!;
        const field = String(issue.path[0] ?? '(entry)');
        const value = (entry as Record<string, unknown>)[field];
        const reason = value === undefined ? 'is missing' : `is ${describe(value)}: ${issue.message}`;
        throw new WinnowError('INVALID_FILE', `${file}: entry ${index}, field "${field}": ${reason}`);
      }
      add(String(checked.data.id), checked.data.relation, `entry ${index}`);
    });
  } else {
    for (const { key, value } of objectMembers(text)) {
      if (key === '') throw new WinnowError('INVALID_FILE', `${file}: key "": the example id must not be empty`);
      if (typeof value !== 'string' || value === '') {
        throw new WinnowError('INVALID_FILE', `${file}: key "${key}": the label is ${describe(value)}, not a non-empty string`);
      }
      add(key, value, `key "${key}"`);
    }
  }
  return { style, labels };
}

/** 1-based line holding the first byte sequence that is not UTF-8. */
function firstNonUtf8Line(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    if (newline === -1) return line;
    start = newline + 1;
    line++;
  }
}

/**
 * Writes a patch in the given style, one entry per line, atomically (a reader never sees a
 * half-written file). Repeating an id with the same label is harmless and written once; a
 * conflicting repeat is refused. Returns the entry count and the file's sha256.
 */
export async function writeReferencePatch(
  file: string,
  style: PatchStyle,
  entries: Iterable<readonly [id: string, label: string]>,
): Promise<{ count: number; sha256: string }> {
  const writer = new AtomicFileWriter(file);
  await writer.open();
  try {
    const written = new Map<string, string>();
    await writer.write(style === 'tacrev' ? '[' : '{');
    for (const [id, label] of entries) {
      const before = written.get(id);
      if (before !== undefined) {
        if (before === label) continue;
        throw new WinnowError('INVALID_INPUT', `patch for ${file}: id "${id}" is given both "${before}" and "${label}"`);
      }
      if (id === '' || label === '') throw new WinnowError('INVALID_INPUT', `patch for ${file}: empty id or label (id "${id}", label "${label}")`);
      const line =
        style === 'tacrev' ? `{"id": ${JSON.stringify(id)}, "relation": ${JSON.stringify(label)}}` : `${JSON.stringify(id)}: ${JSON.stringify(label)}`;
      await writer.write(`${written.size === 0 ? '\n' : ',\n'}${line}`);
      written.set(id, label);
    }
    await writer.write(style === 'tacrev' ? '\n]\n' : '\n}\n');
    const sha256 = await writer.commit();
    return { count: written.size, sha256 };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
