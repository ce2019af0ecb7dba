/**
 * Parquet as a record source for the importer: the same records record-source.ts yields for
 * JSON (each row as one JSON object's text, its columns as fields in schema order), read one
 * row group at a time with hyparquet, so memory is bounded by the largest row group.
 *
 * The relation column is either strings or class ids. Class ids get their names from a
 * `--labels` file, or from the file's own metadata: Hugging Face `datasets` stores its
 * features (a ClassLabel's `names`) as JSON under the `huggingface` key of the Parquet
 * key-value metadata.
 *
 * Errors name the file, the row (0-based, as `datasets` counts) and the column.
 */
import fs from 'node:fs';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { WinnowError } from '../../../shared/errors';
import type { ReadProgress, SourceRecord } from './record-source';

const MAGIC = Buffer.from('PAR1');

/** A Parquet file starts (and ends) with the bytes "PAR1". */
export async function isParquetFile(path: string): Promise<boolean> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.equals(MAGIC);
  } finally {
    await handle.close();
  }
}

/** How the relation column was stored, kept with the split so that a Parquet export can write it back the same way. */
export type RelationEncoding = { kind: 'string' } | { kind: 'class-id'; names: string[]; namesFrom: 'metadata' | 'labels-file' };

/** What an imported Parquet file looked like: enough to export the split back as an equal file. */
export interface ParquetSourceSchema {
  /** The file's schema elements (hyparquet's form; bigints as numbers). */
  schema: Record<string, unknown>[];
  /** Key-value metadata other than ARROW:schema (an Arrow schema we would not keep in step). */
  keyValueMetadata: { key: string; value?: string }[];
  relation: RelationEncoding;
}

export interface ParquetSourceOptions {
  /** Names for class ids, in id order (a `--labels` file), overriding the file's metadata. */
  labelNames?: readonly string[];
  /** How messages name the file (the name the user chose it by); the path when absent. */
  label?: string;
}

/** Reads a `--labels` file: a JSON array of strings, or one label per line. */
export async function readLabelNames(path: string): Promise<string[]> {
  let raw: string;
  try {
    raw = await fs.promises.readFile(path, 'utf8');
  } catch (error) {
    throw new WinnowError('NOT_FOUND', `${path}: cannot read the label names (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const text = raw.replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new WinnowError('INVALID_FILE', `${path}: not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'string' || v === '')) {
      throw new WinnowError('INVALID_FILE', `${path}: expected a JSON array of non-empty label names`);
    }
    return parsed as string[];
  }
  const names = text.split(/\r?\n/).map((l) => l.trim());
  while (names.length && names[names.length - 1] === '') names.pop();
  const blank = names.indexOf('');
  if (blank !== -1) throw new WinnowError('INVALID_FILE', `${path}: line ${blank + 1} is empty (one label per line, class id = line number - 1)`);
  if (!names.length) throw new WinnowError('INVALID_FILE', `${path}: no label names`);
  return names;
}

function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as T;
}

/** ClassLabel names for a column from Hugging Face `datasets` metadata, if any. */
function huggingFaceNames(metadata: FileMetaData, column: string): string[] | null {
  const entry = metadata.key_value_metadata?.find((kv) => kv.key === 'huggingface');
  if (!entry?.value) return null;
  try {
    const parsed = JSON.parse(entry.value) as { info?: { features?: Record<string, { names?: unknown; _type?: string }> } };
    const names = parsed.info?.features?.[column]?.names;
    return Array.isArray(names) && names.every((n) => typeof n === 'string') ? (names as string[]) : null;
  } catch {
    return null;
  }
}

function topLevelColumns(schema: SchemaElement[]): SchemaElement[] {
  const root = schema[0];
  const out: SchemaElement[] = [];
  let i = 1;
  // Walk the flattened tree: each top-level element is followed by its whole subtree.
  const skip = (at: number): number => {
    const children = schema[at]?.num_children ?? 0;
    let next = at + 1;
    for (let c = 0; c < children; c++) next = skip(next);
    return next;
  };
  for (let c = 0; c < (root?.num_children ?? 0); c++) {
    out.push(schema[i]!);
    i = skip(i);
  }
  return out;
}

function isIntegerLeaf(element: SchemaElement): boolean {
  return (element.type === 'INT32' || element.type === 'INT64') && !element.num_children;
}

function isStringLeaf(element: SchemaElement): boolean {
  return element.type === 'BYTE_ARRAY' && (element.converted_type === 'UTF8' || element.logical_type?.type === 'STRING') && !element.num_children;
}

export interface ParquetRecordSource {
  rows: number;
  rowGroups: number;
  columns: string[];
  sourceSchema: ParquetSourceSchema;
  records(onBytes?: (progress: ReadProgress) => void): AsyncGenerator<SourceRecord & { row: number }>;
}

/**
 * Opens a Parquet file and checks its relation column before any row is read, so that a file
 * of class ids without names fails at once.
 */
export async function openParquetSource(filePath: string, options: ParquetSourceOptions = {}): Promise<ParquetRecordSource> {
  const path = options.label ?? filePath;
  const file = await asyncBufferFromFile(filePath);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new WinnowError('INVALID_FILE', `${path}: not a readable Parquet file (${(error as Error).message})`);
  }
  const columns = topLevelColumns(metadata.schema);
  const names = columns.map((c) => c.name);
  const relationColumn = columns.find((c) => c.name === 'relation');
  let relation: RelationEncoding = { kind: 'string' };
  if (relationColumn && isIntegerLeaf(relationColumn)) {
    const given = options.labelNames ? [...options.labelNames] : null;
    const fromFile = huggingFaceNames(metadata, 'relation');
    const labelNames = given ?? fromFile;
    if (!labelNames) {
      throw new WinnowError('INVALID_FILE', `${path}: column "relation" holds class ids (${relationColumn.type}) but the file's metadata names no labels (no Hugging Face ClassLabel); pass the names with --labels <file>`);
    }
    const dup = labelNames.find((n, i) => labelNames.indexOf(n) !== i);
    if (dup !== undefined) throw new WinnowError('INVALID_FILE', `${path}: label "${dup}" appears twice in the ${given ? '--labels file' : 'ClassLabel names'}`);
    relation = { kind: 'class-id', names: labelNames, namesFrom: given ? 'labels-file' : 'metadata' };
  } else if (relationColumn && !isStringLeaf(relationColumn)) {
    throw new WinnowError('INVALID_FILE', `${path}: column "relation" must hold strings or integer class ids, not ${relationColumn.num_children ? 'a nested value' : relationColumn.type}`);
  }
  const sourceSchema: ParquetSourceSchema = {
    schema: jsonSafe(metadata.schema) as unknown as Record<string, unknown>[],
    keyValueMetadata: (metadata.key_value_metadata ?? []).filter((kv) => kv.key !== 'ARROW:schema').map((kv) => ({ key: kv.key, ...(kv.value === undefined ? {} : { value: kv.value }) })),
    relation,
  };
  const rows = Number(metadata.num_rows);

  async function* records(onBytes?: (progress: ReadProgress) => void): AsyncGenerator<SourceRecord & { row: number }> {
    // The file's sha256 is taken from the bytes as they are, before decoding any row group.
    if (onBytes) {
      let bytesRead = 0;
      for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1 << 20 })) {
        bytesRead += (chunk as Buffer).length;
        onBytes({ bytesRead, totalBytes: file.byteLength, chunk: chunk as Buffer });
      }
    }
    let rowStart = 0;
    for (const [g, group] of metadata.row_groups.entries()) {
      const rowEnd = rowStart + Number(group.num_rows);
      let objects: Record<string, unknown>[];
      try {
        objects = (await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors })) as Record<string, unknown>[];
      } catch (error) {
        throw new WinnowError('INVALID_FILE', `${path}: rows ${rowStart}-${rowEnd - 1} (row group ${g}) cannot be decoded: ${(error as Error).message}`);
      }
      for (const [j, object] of objects.entries()) {
        const row = rowStart + j;
        yield { index: row, line: null, row, text: rowText(path, row, object, names, relation) };
      }
      rowStart = rowEnd;
    }
  }

  return { rows, rowGroups: metadata.row_groups.length, columns: names, sourceSchema, records };
}

/** One row as JSON text, columns in schema order; class ids become their names. */
function rowText(path: string, row: number, object: Record<string, unknown>, columns: readonly string[], relation: RelationEncoding): string {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    let value = object[column];
    if (column === 'relation' && relation.kind === 'class-id' && value !== null && value !== undefined) {
      const id = Number(value);
      const name = relation.names[id];
      if (!Number.isInteger(id) || name === undefined) {
        throw new WinnowError('INVALID_FILE', `${path}: row ${row}, column "relation": class id ${String(value)} has no name (${relation.names.length} labels${relation.namesFrom === 'labels-file' ? ' in the --labels file' : ' in the ClassLabel metadata'})`);
      }
      value = name;
    }
    out[column] = toJsonValue(path, row, column, value);
  }
  return JSON.stringify(out);
}

function toJsonValue(path: string, row: number, column: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new WinnowError('INVALID_FILE', `${path}: row ${row}, column "${column}": integer ${value} is too large for JSON`);
    }
    return Number(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new WinnowError('INVALID_FILE', `${path}: row ${row}, column "${column}": ${value} cannot be stored as JSON`);
    return value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) throw new WinnowError('INVALID_FILE', `${path}: row ${row}, column "${column}": binary values are not supported (store text as UTF-8 strings)`);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<unknown>, (v) => toJsonValue(path, row, column, v));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJsonValue(path, row, `${column}.${k}`, v)]));
  }
  throw new WinnowError('INVALID_FILE', `${path}: row ${row}, column "${column}": unsupported value of type ${typeof value}`);
}
