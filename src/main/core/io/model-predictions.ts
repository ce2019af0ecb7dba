/**
 * Model outputs computed elsewhere (a model trained in Python), in the three shapes Python
 * users hold them:
 *
 * - Winnow's JSON Lines: a `{"labels": [...]}` header, then `{"id", "probs", "embedding"?}` rows
 *   (predictions-file.ts);
 * - CSV or TSV: a header with an `id` column and one column per label (in any order; the
 *   header's label columns are the class order), one row per example;
 * - numpy: `pred_probs` saved with `np.save` (float32/float64, C or Fortran order), with a
 *   labels file (the class order: a JSON array, or one label per line) and an ids file (the
 *   row order, one id per line), and optionally an embeddings `.npy` with the same rows.
 *
 * Every format may cover only part of the project: rows name examples by id, and `covered` /
 * `missing` say which were left out. An id the project does not hold is an error.
 */
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import { WinnowError } from '../../../shared/errors';
import { readNumpyMatrix } from './numpy-file';
import { readPredictionsFile, ROW_SUM_TOLERANCE, type PredictionsFile, type ReadPredictionsOptions } from './predictions-file';

export type PredictionsFormat = 'jsonl' | 'csv' | 'tsv' | 'npy';

export interface PredictionsSource {
  file: string;
  /** numpy only: the class order of the array's columns. */
  labels?: string | undefined;
  /** numpy only: the example id of each row. */
  ids?: string | undefined;
  /** numpy only: an embedding per row, as another .npy. */
  embeddings?: string | undefined;
}

/** By content: the .npy magic, a JSON object line, or else delimited text (tab or comma). */
export async function detectPredictionsFormat(file: string): Promise<PredictionsFormat> {
  if (!fs.existsSync(file)) throw new WinnowError('NOT_FOUND', `${file}: file not found`);
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.subarray(0, 6).toString('latin1') === '\x93NUMPY') return 'npy';
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (text.startsWith('{')) return 'jsonl';
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    return firstLine.includes('\t') ? 'tsv' : 'csv';
  } finally {
    await handle.close();
  }
}

export async function readModelPredictions(source: PredictionsSource, options: ReadPredictionsOptions): Promise<PredictionsFile & { format: PredictionsFormat }> {
  const format = await detectPredictionsFormat(source.file);
  if (format !== 'npy') {
    for (const extra of ['labels', 'ids', 'embeddings'] as const) {
      if (source[extra]) throw new WinnowError('INVALID_INPUT', `${source.file}: a ${extra} file only goes with a numpy .npy predictions file; this one is ${format.toUpperCase()}`);
    }
  }
  switch (format) {
    case 'jsonl':
      return { ...(await readPredictionsFile(source.file, options)), format };
    case 'csv':
    case 'tsv':
      return { ...(await readDelimited(source.file, format === 'tsv' ? '\t' : ',', options)), format };
    case 'npy':
      return { ...(await readNumpyPredictions(source, options)), format };
  }
}

function checkRow(values: ArrayLike<number>, at: (column: number) => string, where: string): void {
  let sum = 0;
  for (let j = 0; j < values.length; j++) {
    const p = values[j]!;
    if (!Number.isFinite(p)) throw new WinnowError('INVALID_FILE', `${at(j)}: is ${p}, not a finite number`);
    if (p < 0 || p > 1) throw new WinnowError('INVALID_FILE', `${at(j)}: is ${p}, outside [0, 1] (are these logits? apply softmax first)`);
    sum += p;
  }
  if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
    throw new WinnowError('INVALID_FILE', `${where}: the probabilities sum to ${Number(sum.toPrecision(7))}, not 1 (within ${ROW_SUM_TOLERANCE})`);
  }
}

function checkLabels(file: string, labels: string[], where: (i: number) => string): void {
  if (labels.length < 2) throw new WinnowError('INVALID_FILE', `${file}: names ${labels.length} label${labels.length === 1 ? '' : 's'}; predictions need at least two`);
  const seen = new Map<string, number>();
  labels.forEach((label, i) => {
    if (!label) throw new WinnowError('INVALID_FILE', `${where(i)}: is empty`);
    const before = seen.get(label);
    if (before !== undefined) throw new WinnowError('INVALID_FILE', `${where(i)}: "${label}" repeats ${where(before)}`);
    seen.set(label, i);
  });
}

async function readDelimited(file: string, delimiter: string, options: ReadPredictionsOptions): Promise<PredictionsFile> {
  const n = options.knownIds.size;
  const covered = new Uint8Array(n);
  const firstLine = new Int32Array(n);
  const parser = fs.createReadStream(file).pipe(
    parseCsv({ delimiter, bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: false }),
  );
  let labels: string[] | null = null;
  let idColumn = -1;
  let labelColumns: number[] = [];
  let probs = new Float32Array(0);
  let rows = 0;
  const row = new Float64Array(0);
  let values = row;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (options.signal?.aborted) throw new WinnowError('CANCELLED', `Reading ${file} cancelled`);
      const line = info.lines;
      if (labels === null) {
        idColumn = record.indexOf('id');
        if (idColumn === -1) throw new WinnowError('INVALID_FILE', `${file}: line ${line} (header): needs an "id" column and one column per label; found ${record.slice(0, 6).map((c) => `"${c}"`).join(', ')}`);
        labelColumns = record.map((_, c) => c).filter((c) => c !== idColumn);
        labels = labelColumns.map((c) => record[c]!);
        checkLabels(file, labels, (i) => `${file}: line ${line} (header), column "${labels![i]}"`);
        probs = new Float32Array(n * labels.length);
        values = new Float64Array(labels.length);
        continue;
      }
      const id = record[idColumn]!;
      const where = `${file}: line ${line}, id "${id}"`;
      const index = options.knownIds.get(id);
      if (index === undefined) throw new WinnowError('INVALID_FILE', `${where}, column "id": "${id}" is not an example of this project`);
      if (covered[index]) throw new WinnowError('INVALID_FILE', `${where}, column "id": "${id}" already has a row on line ${firstLine[index]}`);
      labelColumns.forEach((c, j) => {
        const text = record[c]!;
        values[j] = text === '' ? Number.NaN : Number(text);
      });
      checkRow(values, (j) => `${where}, column "${labels![j]}"`, where);
      probs.set(values, index * labels.length);
      covered[index] = 1;
      firstLine[index] = line;
      rows++;
    }
  } catch (error) {
    if (error instanceof WinnowError) throw error;
    throw new WinnowError('INVALID_FILE', `${file}: not valid ${delimiter === '\t' ? 'TSV' : 'CSV'}: ${(error as Error).message}`);
  }
  if (labels === null) throw new WinnowError('INVALID_FILE', `${file}: is empty; expected a header with an "id" column and one column per label`);
  if (rows === 0) throw new WinnowError('INVALID_FILE', `${file}: has a header but no rows`);
  return { labels, probs, embedding: null, embeddingDim: 0, covered, missing: n - rows };
}

async function readLines(file: string): Promise<string[]> {
  if (!fs.existsSync(file)) throw new WinnowError('NOT_FOUND', `${file}: file not found`);
  const text = (await fs.promises.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  while (lines.length && lines.at(-1) === '') lines.pop();
  return lines;
}

/** labels.json (a JSON array of strings) or labels.txt (one per line). */
async function readLabelList(file: string): Promise<{ labels: string[]; where: (i: number) => string }> {
  if (!fs.existsSync(file)) throw new WinnowError('NOT_FOUND', `${file}: file not found`);
  const text = (await fs.promises.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new WinnowError('INVALID_FILE', `${file}: not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(value)) throw new WinnowError('INVALID_FILE', `${file}: must be a JSON array of label names`);
    value.forEach((v, i) => {
      if (typeof v !== 'string') throw new WinnowError('INVALID_FILE', `${file}: entry [${i}] is ${JSON.stringify(v)}, not a label name`);
    });
    return { labels: value as string[], where: (i) => `${file}: entry [${i}]` };
  }
  return { labels: await readLines(file), where: (i) => `${file}: line ${i + 1}` };
}

async function readNumpyPredictions(source: PredictionsSource, options: ReadPredictionsOptions): Promise<PredictionsFile> {
  const { file } = source;
  if (!source.labels) throw new WinnowError('INVALID_INPUT', `${file}: a .npy array needs its class order: give a labels file (labels.json or labels.txt)`);
  if (!source.ids) throw new WinnowError('INVALID_INPUT', `${file}: a .npy array needs its row order: give an ids file (one example id per line)`);
  const matrix = await readNumpyMatrix(file, 'pred_probs');
  const { labels, where: labelWhere } = await readLabelList(source.labels);
  checkLabels(source.labels, labels, labelWhere);
  if (labels.length !== matrix.columns) {
    throw new WinnowError('INVALID_FILE', `${file}: has ${matrix.columns} columns but ${source.labels} names ${labels.length} labels`);
  }
  const ids = await readLines(source.ids);
  if (ids.length !== matrix.rows) throw new WinnowError('INVALID_FILE', `${file}: has ${matrix.rows} rows but ${source.ids} lists ${ids.length} ids`);
  let embedding: NumpyMatrixRows | null = null;
  if (source.embeddings) {
    const e = await readNumpyMatrix(source.embeddings, 'the embeddings');
    if (e.rows !== matrix.rows) throw new WinnowError('INVALID_FILE', `${source.embeddings}: has ${e.rows} rows but ${file} has ${matrix.rows}`);
    embedding = e;
  }
  const n = options.knownIds.size;
  const K = labels.length;
  const probs = new Float32Array(n * K);
  const out = embedding ? new Float32Array(n * embedding.columns) : null;
  const covered = new Uint8Array(n);
  const firstRow = new Int32Array(n);
  for (let r = 0; r < matrix.rows; r++) {
    if (options.signal?.aborted) throw new WinnowError('CANCELLED', `Reading ${file} cancelled`);
    const id = ids[r]!;
    const where = `${file}: row ${r} (id "${id}", ${source.ids} line ${r + 1})`;
    const index = options.knownIds.get(id);
    if (index === undefined) throw new WinnowError('INVALID_FILE', `${where}: "${id}" is not an example of this project`);
    if (covered[index]) throw new WinnowError('INVALID_FILE', `${where}: "${id}" is also row ${firstRow[index]}`);
    const row = matrix.values.subarray(r * K, (r + 1) * K);
    checkRow(row, (j) => `${where}, column ${j} ("${labels[j]}")`, where);
    probs.set(row, index * K);
    if (embedding && out) {
      const D = embedding.columns;
      const vector = embedding.values.subarray(r * D, (r + 1) * D);
      for (let d = 0; d < D; d++) {
        if (!Number.isFinite(vector[d]!)) throw new WinnowError('INVALID_FILE', `${source.embeddings}: row ${r} (id "${id}"), column ${d}: is ${vector[d]}, not a finite number`);
      }
      out.set(vector, index * D);
    }
    covered[index] = 1;
    firstRow[index] = r;
    if (r % 5000 === 0) options.onProgress?.({ done: r, total: matrix.rows });
  }
  options.onProgress?.({ done: matrix.rows, total: matrix.rows });
  return { labels, probs, embedding: out, embeddingDim: embedding?.columns ?? 0, covered, missing: n - matrix.rows };
}

type NumpyMatrixRows = Awaited<ReturnType<typeof readNumpyMatrix>>;
