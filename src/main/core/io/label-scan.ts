import { WinnowError } from '../../../shared/errors';
import { KNOWN_NEGATIVE_LABELS } from '../../../shared/labels';
import { detectFormat, readRecords, type SourceFormat } from './record-source';
import { isParquetFile, openParquetSource } from './parquet-source';

export interface FileLabels {
  /** Each `relation` in the file with how many records carry it, most first. */
  labels: { name: string; count: number }[];
  /** The negative label to offer first: a known one the file uses, else its most common label. */
  suggested: string | null;
}

/**
 * The labels of a TACRED JSON / JSON Lines file, for choosing the negative label before the
 * first import. Records are only peeked at (their `relation`); the import validates them.
 */
export async function scanLabels(file: string, format: SourceFormat | 'parquet' | 'auto' = 'auto', fileLabel = file): Promise<FileLabels> {
  const actual = format === 'auto' ? ((await isParquetFile(file)) ? 'parquet' : await detectFormat(file)) : format;
  const counts = new Map<string, number>();
  // A Parquet file's class ids come back as their names (metadata); ids without names fail here.
  const records = actual === 'parquet' ? (await openParquetSource(file, { label: fileLabel })).records() : readRecords(file, actual);
  for await (const source of records) {
    let value: unknown;
    try {
      value = JSON.parse(source.text);
    } catch {
      continue;
    }
    const relation = typeof value === 'object' && value !== null ? (value as { relation?: unknown }).relation : undefined;
    if (typeof relation === 'string') counts.set(relation, (counts.get(relation) ?? 0) + 1);
  }
  if (counts.size === 0) throw new WinnowError('INVALID_FILE', `${fileLabel}: no record with a "relation" label`);
  const labels = [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const known = KNOWN_NEGATIVE_LABELS.find((l) => counts.has(l));
  return { labels, suggested: known ?? labels[0]!.name };
}
