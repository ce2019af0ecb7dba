import { withNestingGuard } from '../errors/nesting-guard';
import fs from 'node:fs';
import { z } from 'zod';
import { WinnowError } from '../../../shared/errors';
import { jsonSyntaxReason } from './json-syntax';
import { NotUtf8Error, readRecords } from './record-source';

/**
 * Predictions computed elsewhere (a model trained in Python): JSON Lines whose first line
 * is a header `{"labels": [...]}` giving the order of every row's probabilities, then one
 * line per example `{"id": ..., "probs": [...], "embedding"?: [...]}`.
 */
export interface PredictionsFile {
  /** The header's labels: the column order of `probs`. */
  labels: string[];
  /** n x labels.length, row-major, in example-index order; rows of uncovered examples are 0. */
  probs: Float32Array;
  /** n x embeddingDim in example-index order, or null when the file has no embeddings. */
  embedding: Float32Array | null;
  /** 0 when there are no embeddings. */
  embeddingDim: number;
  /** 1 where the file has a row for that example. */
  covered: Uint8Array;
  /** Number of examples without a row. */
  missing: number;
}

export interface ReadPredictionsOptions {
  /** The project's example ids, each mapped to its example index (0 .. size-1). */
  knownIds: ReadonlyMap<string, number>;
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number }) => void;
}

/** Probabilities are rounded by whoever wrote them; a row may miss 1 by this much. */
export const ROW_SUM_TOLERANCE = 1e-4;

const Header = z.looseObject({
  labels: z
    .array(z.string({ error: 'every label must be a string' }).min(1, 'labels must not be empty strings'), { error: 'must be an array of label names' })
    .min(2, 'must name at least two labels'),
});

// Arrays are only recognised here, not walked: each value is checked by hand below with a
// message naming its position, and letting zod copy a 768-wide array per line costs time.
const numberArray = (error: string) => z.custom<unknown[]>((value) => Array.isArray(value), { error });
const Row = z.looseObject({
  id: z.union([z.string().min(1), z.number()], { error: 'must be a non-empty string or a number' }),
  probs: numberArray('must be an array of numbers'),
  embedding: numberArray('must be an array of numbers (or absent)').nullish(),
});

// A private-use character: JSON strings may hold it raw (not so control characters).
const NON_FINITE_MARK = '\uE000winnow-non-finite:';

/**
 * Python's json module writes NaN, Infinity and -Infinity as bare tokens, which JSON (and
 * JSON.parse) refuses. Replacing them, outside strings, with marked strings lets the
 * error name the field that held one.
 */
function markNonFiniteTokens(text: string): string | null {
  let out = '';
  let last = 0;
  let inString = false;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    for (const token of ['-Infinity', 'Infinity', 'NaN']) {
      if (text.startsWith(token, i)) {
        out += `${text.slice(last, i)}"${NON_FINITE_MARK}${token}"`;
        i += token.length - 1;
        last = i + 1;
        found = true;
        break;
      }
    }
  }
  return found ? out + text.slice(last) : null;
}

function findMarked(value: unknown, path: string): { path: string; token: string } | null {
  if (typeof value === 'string') return value.startsWith(NON_FINITE_MARK) ? { path, token: value.slice(NON_FINITE_MARK.length) } : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findMarked(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const hit = findMarked(inner, path ? `${path}.${key}` : key);
      if (hit) return hit;
    }
  }
  return null;
}

function peekId(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return null;
}

function parseLine(file: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const marked = markNonFiniteTokens(text);
    if (marked !== null) {
      let value: unknown;
      try {
        value = JSON.parse(marked);
      } catch {
        value = undefined;
      }
      const hit = value === undefined ? null : findMarked(value, '');
      if (hit) {
        const id = peekId(value);
        throw new WinnowError(
          'INVALID_FILE',
          `${file}: line ${line}${id === null ? '' : `, id "${id}"`}, field "${hit.path}": is ${hit.token}, which JSON cannot hold ` +
            `(Python's json.dumps writes it for a non-finite float); every probability and embedding value must be a finite number`,
        );
      }
    }
    throw new WinnowError('INVALID_FILE', `${file}: line ${line}: ${jsonSyntaxReason(error, text)}`);
  }
}

function issueText(issue: z.core.$ZodIssue, value: unknown): { field: string; reason: string } {
  const field = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : String(k))).join('.').replace(/\.\[/g, '[') || '(line)';
  const top = issue.path[0];
  const missing = issue.path.length === 1 && typeof top === 'string' && (value as Record<string, unknown>)[top] === undefined;
  return { field, reason: missing ? 'is missing' : issue.message };
}

function describeNumber(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}

/**
 * Streams a predictions file into arrays indexed like the project's examples. The whole
 * file is checked; the first problem stops the read with a message naming the file, the
 * line, the id and the field.
 */
export async function readPredictionsFile(file: string, options: ReadPredictionsOptions): Promise<PredictionsFile> {
  return withNestingGuard(file, () => readPredictionsFileUnguarded(file, options));
}

async function readPredictionsFileUnguarded(file: string, options: ReadPredictionsOptions): Promise<PredictionsFile> {
  if (!fs.existsSync(file)) throw new WinnowError('NOT_FOUND', `${file}: file not found`);
  const n = options.knownIds.size;
  let labels: string[] | null = null;
  let k = 0;
  let probs = new Float32Array(0);
  const covered = new Uint8Array(n);
  const firstLine = new Int32Array(n);
  let embedding: Float32Array | null = null;
  let embeddingDim = 0;
  let rows = 0;
  let firstRowLine = 0;
  let bytesRead = 0;
  let totalBytes = 0;
  let lastReport = 0;

  const records = restateNotUtf8(
    file,
    readRecords(file, 'jsonl', (progress) => {
      bytesRead = progress.bytesRead;
      totalBytes = progress.totalBytes;
    }),
  );
  for await (const source of records) {
    const line = source.line!;
    if (options.signal?.aborted) throw new WinnowError('CANCELLED', `Reading ${file} cancelled`);
    const value = parseLine(file, line, source.text);
    const at = (id: string | null, field: string) => `${file}: line ${line}${id === null ? '' : `, id "${id}"`}, field "${field}"`;

    if (labels === null) {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !('labels' in value)) {
        const looksLikeRow = typeof value === 'object' && value !== null && ('probs' in value || 'id' in value);
        throw new WinnowError(
          'INVALID_FILE',
          `${file}: line ${line}: the first line must be the header {"labels": [...]} giving the label order of "probs"` +
            (looksLikeRow ? '; found a prediction row instead' : ''),
        );
      }
      const header = Header.safeParse(value);
      if (!header.success) {
        const { field, reason } = issueText(header.error.issues[0]!, value);
        throw new WinnowError('INVALID_FILE', `${file}: line ${line} (header), field "${field}": ${reason}`);
      }
      const seen = new Map<string, number>();
      header.data.labels.forEach((label, i) => {
        const before = seen.get(label);
        if (before !== undefined) throw new WinnowError('INVALID_FILE', `${file}: line ${line} (header), field "labels[${i}]": "${label}" repeats labels[${before}]`);
        seen.set(label, i);
      });
      labels = header.data.labels;
      k = labels.length;
      probs = new Float32Array(n * k);
      continue;
    }

    const parsed = Row.safeParse(value);
    if (!parsed.success) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new WinnowError('INVALID_FILE', `${file}: line ${line}: must be a JSON object {"id", "probs", "embedding"?}`);
      }
      const { field, reason } = issueText(parsed.error.issues[0]!, value);
      throw new WinnowError('INVALID_FILE', `${at(peekId(value), field)}: ${reason}`);
    }
    const row = parsed.data;
    const id = String(row.id);
    const index = options.knownIds.get(id);
    if (index === undefined) throw new WinnowError('INVALID_FILE', `${at(id, 'id')}: "${id}" is not an example of this project`);
    if (covered[index]) throw new WinnowError('INVALID_FILE', `${at(id, 'id')}: "${id}" already has a row on line ${firstLine[index]}`);

    if (row.probs.length !== k) {
      throw new WinnowError('INVALID_FILE', `${at(id, 'probs')}: has ${row.probs.length} values but the header names ${k} labels`);
    }
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const p = row.probs[j];
      if (typeof p !== 'number' || !Number.isFinite(p)) throw new WinnowError('INVALID_FILE', `${at(id, `probs[${j}]`)}: is ${describeNumber(p)}, not a finite number`);
      if (p < 0 || p > 1) throw new WinnowError('INVALID_FILE', `${at(id, `probs[${j}]`)}: is ${p}, outside [0, 1] (are these logits? apply softmax first)`);
      sum += p;
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw new WinnowError('INVALID_FILE', `${at(id, 'probs')}: sums to ${Number(sum.toPrecision(7))}, not 1 (within ${ROW_SUM_TOLERANCE})`);
    }

    const vector = row.embedding ?? null;
    if (rows === 0) firstRowLine = line;
    if (rows === 0 && vector !== null) {
      if (vector.length === 0) throw new WinnowError('INVALID_FILE', `${at(id, 'embedding')}: is empty`);
      embeddingDim = vector.length;
      embedding = new Float32Array(n * embeddingDim);
    }
    if (embedding === null && vector !== null) {
      throw new WinnowError('INVALID_FILE', `${at(id, 'embedding')}: is present but the first row (line ${firstRowLine}) has none; give every row an embedding or none`);
    }
    if (embedding !== null) {
      if (vector === null) throw new WinnowError('INVALID_FILE', `${at(id, 'embedding')}: is missing, but earlier rows have one; give every row an embedding or none`);
      if (vector.length !== embeddingDim) {
        throw new WinnowError('INVALID_FILE', `${at(id, 'embedding')}: has ${vector.length} values but line ${firstRowLine} has ${embeddingDim}`);
      }
      const base = index * embeddingDim;
      for (let d = 0; d < embeddingDim; d++) {
        const v = vector[d];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new WinnowError('INVALID_FILE', `${at(id, `embedding[${d}]`)}: is ${describeNumber(v)}, not a finite number`);
        embedding[base + d] = v;
      }
    }

    const base = index * k;
    for (let j = 0; j < k; j++) probs[base + j] = row.probs[j] as number;
    covered[index] = 1;
    firstLine[index] = line;
    rows++;
    if (rows - lastReport >= 5000) {
      lastReport = rows;
      options.onProgress?.({ done: bytesRead, total: totalBytes });
    }
  }

  if (labels === null) throw new WinnowError('INVALID_FILE', `${file}: is empty; expected a header line {"labels": [...]} and one line per example`);
  if (rows === 0) throw new WinnowError('INVALID_FILE', `${file}: has a header but no prediction rows`);
  options.onProgress?.({ done: totalBytes, total: totalBytes });
  return { labels, probs, embedding, embeddingDim, covered, missing: n - rows };
}

/** Bad bytes, said the way this reader names every problem: by line. */
async function* restateNotUtf8<T>(file: string, records: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* records;
  } catch (error) {
    if (error instanceof NotUtf8Error) throw new WinnowError('INVALID_FILE', `${file}: line ${error.line}: not valid JSON: the bytes are not UTF-8 (save the file as UTF-8)`);
    throw error;
  }
}
