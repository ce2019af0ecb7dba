import { WinnowError } from '../../../shared/errors';
import type { Db } from '../store/database';
import type { ParquetSourceSchema } from '../io/parquet-source';
import { exportSchemaFromSource, SchemaInference, type ParquetExportSchema } from '../io/parquet-writer';

const BATCH = 5000;

/**
 * The schema a split is exported to Parquet with: the one it was imported with when it came
 * from Parquet, otherwise one inferred from every record of the split (one pass in batches).
 */
export async function parquetExportSchema(db: Db, splitId: number, signal?: AbortSignal): Promise<ParquetExportSchema> {
  const split = db.prepare('SELECT name, source_format AS sourceFormat, source_schema AS sourceSchema FROM splits WHERE id = ?').get(splitId) as
    | { name: string; sourceFormat: string | null; sourceSchema: string | null }
    | undefined;
  if (!split) throw new WinnowError('NOT_FOUND', `No split ${splitId}`);
  if (split.sourceFormat === 'parquet' && split.sourceSchema) return exportSchemaFromSource(JSON.parse(split.sourceSchema) as ParquetSourceSchema);
  const inference = new SchemaInference();
  const batch = db.prepare(
    `SELECT e.position, r.raw FROM examples e JOIN example_records r ON r.example_id = e.id
     WHERE e.split_id = ? AND e.position > ? ORDER BY e.position LIMIT ${BATCH}`,
  );
  for (let last = -1; ; ) {
    if (signal?.aborted) throw new WinnowError('CANCELLED', `Export of ${split.name} cancelled; no file was written`);
    const rows = batch.all(splitId, last) as { position: number; raw: string }[];
    if (!rows.length) break;
    last = rows[rows.length - 1]!.position;
    for (const row of rows) inference.add(JSON.parse(row.raw) as Record<string, unknown>);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return inference.result();
}
