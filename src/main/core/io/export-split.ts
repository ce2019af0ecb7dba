import { WinnowError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { AtomicFileWriter } from './atomic-file';
import type { SourceFormat } from './record-source';

export interface ExportOptions {
  split: string;
  outPath: string;
  format: SourceFormat;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
}

export interface ExportSummary {
  split: string;
  path: string;
  count: number;
  sha256: string;
}

/**
 * Writes a split back out from the verbatim records, so an unmodified split is deep-equal to
 * its input with the original key order and every unknown field.
 */
export async function exportSplit(db: Db, options: ExportOptions): Promise<ExportSummary> {
  const split = db.prepare('SELECT id, count FROM splits WHERE name = ?').get(options.split) as
    | { id: number; count: number }
    | undefined;
  if (!split) throw new WinnowError('NOT_FOUND', `No split named "${options.split}" in this project`);
  // Fetched in batches rather than one open iterator, so the connection stays free for other
  // queries while the file is written.
  const batch = db.prepare(
    `SELECT e.position AS position, r.raw AS raw FROM examples e JOIN example_records r ON r.example_id = e.id
     WHERE e.split_id = ? AND e.position > ? ORDER BY e.position LIMIT 5000`,
  );
  const writer = new AtomicFileWriter(options.outPath);
  await writer.open();
  try {
    let count = 0;
    if (options.format === 'json') await writer.write('[\n');
    let after = -1;
    for (;;) {
      const rows = batch.all(split.id, after) as { position: number; raw: string }[];
      if (!rows.length) break;
      after = rows[rows.length - 1]!.position;
      for (const { raw } of rows) {
      if (options.signal?.aborted) throw new WinnowError('CANCELLED', `Export of ${options.split} cancelled`);
      if (options.format === 'json') {
        await writer.write(count === 0 ? raw : `,\n${raw}`);
      } else {
        // A pretty-printed source record spans lines; JSON Lines needs it on one.
        await writer.write((raw.includes('\n') ? JSON.stringify(JSON.parse(raw)) : raw) + '\n');
      }
      count++;
      }
      options.onProgress?.({ phase: 'writing', done: count, total: split.count });
    }
    if (options.format === 'json') await writer.write('\n]\n');
    const sha256 = await writer.commit();
    options.onProgress?.({ phase: 'done', done: count, total: split.count });
    return { split: options.split, path: options.outPath, count, sha256 };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
