// Streams TACRED records to disk. A 100k-record file with Stanford fields is well over 50 MB,
// so records are serialised and written in batches of about a megabyte, waiting on 'drain'
// when the stream's buffer is full, and no whole-file string is ever built.

import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { SyntheticRecord } from './synthetic-record';

export type TacredFileFormat = 'json' | 'jsonl';

export interface WriteSummary {
  readonly count: number;
  readonly bytes: number;
}

const BATCH_CHARS = 1 << 20;

/**
 * Writes `records` as a JSON array with one record per line (`[\n{...},\n{...}\n]\n`), which
 * keeps files diffable and lets line tools count records, or as JSON Lines.
 */
export async function writeTacredRecords(
  path: string,
  records: Iterable<SyntheticRecord>,
  format: TacredFileFormat,
): Promise<WriteSummary> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });

  let bytes = 0;
  const flush = async (chunk: string): Promise<void> => {
    if (failure !== undefined) throw failure;
    bytes += Buffer.byteLength(chunk, 'utf8');
    if (!stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          stream.off('error', onError);
          resolve();
        };
        const onError = (error: Error): void => {
          stream.off('drain', onDrain);
          reject(error);
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    }
  };

  let count = 0;
  try {
    let batch: string[] = [];
    let batchChars = 0;
    for (const record of records) {
      const line = JSON.stringify(record);
      const piece = format === 'jsonl' ? `${line}\n` : count === 0 ? `[\n${line}` : `,\n${line}`;
      batch.push(piece);
      batchChars += piece.length;
      count++;
      if (batchChars >= BATCH_CHARS) {
        await flush(batch.join(''));
        batch = [];
        batchChars = 0;
      }
    }
    if (format === 'json') batch.push(count === 0 ? '[]\n' : '\n]\n');
    if (batch.length > 0) await flush(batch.join(''));
    stream.end();
    await finished(stream);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  if (failure !== undefined) throw failure;
  return { count, bytes };
}
