import type { ErrorCode } from '../../../shared/errors';
import type { SourceFormat } from './record-source';
import type { PreparedRecord } from './prepared-record';

/** What the reader thread is given. */
export interface ReaderStart {
  file: string;
  format: SourceFormat;
  maxRecordBytes?: number | undefined;
}

/** From the reader thread: records in order, then the end (with the file's hash) or an error. */
export type ReaderMessage =
  | { type: 'batch'; batch: PackedBatch; bytesRead: number; totalBytes: number }
  | { type: 'end'; sha256: string; bytesRead: number; totalBytes: number }
  | { type: 'error'; code: ErrorCode; message: string };

/** To the reader thread: one batch was consumed, another may be sent. */
export const ACK = 'ack';

/** Batches sent but not yet consumed, at most: what bounds the reader's lead in memory. */
export const BATCHES_IN_FLIGHT = 3;
/** A batch is sent at this many records or this many characters of text, whichever comes first. */
export const BATCH_RECORDS = 2000;
export const BATCH_CHARS = 2 << 20;

/**
 * A batch as it crosses between threads: every string of every record joined into one, with
 * offsets, and the numbers in one typed array. A structured clone of 2,000 record objects
 * writes each of their keys and strings one by one (on a million records that took more time
 * than reading them); one string and two arrays are copied whole, and the importing thread
 * takes substrings of the one string (which V8 makes without copying).
 */
export interface PackedBatch {
  count: number;
  /**
   * The short strings a writer keeps for the whole import (ids for the duplicate check,
   * labels and types as map keys), cloned one by one: a substring of the joined text would
   * keep its whole batch alive (a million ids kept every batch, 1.3 GB).
   */
  ids: (string | null)[];
  short: string[];
  /** The long strings (record text, tokens, sentence), used until the batch is written. */
  text: string;
  /** Per record, STRINGS + 1 offsets into `text` (the last closes the record's last string). */
  offsets: Int32Array;
  /** Per record, NUMBERS values. */
  numbers: Int32Array;
  /** The records with a problem, by their place in the batch. */
  problems: { at: number; field: string; reason: string }[];
}

const STRINGS = 3; // text, tokens, sentence
const SHORT = 3; // relation, subjType, objType
const NUMBERS = 9; // index, line, row, flags, subjStart, subjEnd, objStart, objEnd, tokenCount
const PARSED = 2;
const HAS_COLUMNS = 4;

export function packBatch(records: readonly PreparedRecord[]): PackedBatch {
  const pieces: string[] = [];
  const offsets = new Int32Array(records.length * STRINGS + 1);
  const numbers = new Int32Array(records.length * NUMBERS);
  const short: string[] = new Array(records.length * SHORT);
  const problems: PackedBatch['problems'] = [];
  let at = 0;
  let slot = 0;
  const add = (value: string) => {
    offsets[slot++] = at;
    pieces.push(value);
    at += value.length;
  };
  records.forEach((r, i) => {
    const c = r.columns;
    add(r.text);
    add(c?.tokens ?? '');
    add(c?.sentence ?? '');
    short[i * SHORT] = c?.relation ?? '';
    short[i * SHORT + 1] = c?.subjType ?? '';
    short[i * SHORT + 2] = c?.objType ?? '';
    numbers.set(
      [r.index, r.line ?? -1, r.row ?? -1, (r.parsed ? PARSED : 0) | (c ? HAS_COLUMNS : 0), c?.subjStart ?? 0, c?.subjEnd ?? 0, c?.objStart ?? 0, c?.objEnd ?? 0, c?.tokenCount ?? 0],
      i * NUMBERS,
    );
    if (r.problem) problems.push({ at: i, ...r.problem });
  });
  offsets[slot] = at;
  return { count: records.length, ids: records.map((r) => r.id), short, text: pieces.join(''), offsets, numbers, problems };
}

export function unpackBatch(batch: PackedBatch): PreparedRecord[] {
  const { text, offsets, numbers, short } = batch;
  const problems = new Map(batch.problems.map((p) => [p.at, { field: p.field, reason: p.reason }]));
  const records: PreparedRecord[] = new Array(batch.count);
  for (let i = 0; i < batch.count; i++) {
    const s = i * STRINGS;
    const part = (k: number) => text.slice(offsets[s + k]!, offsets[s + k + 1]!);
    const n = i * NUMBERS;
    const flags = numbers[n + 3]!;
    const line = numbers[n + 1]!;
    const row = numbers[n + 2]!;
    records[i] = {
      index: numbers[n]!,
      line: line < 0 ? null : line,
      ...(row < 0 ? {} : { row }),
      text: part(0),
      id: batch.ids[i] ?? null,
      parsed: (flags & PARSED) !== 0,
      problem: problems.get(i) ?? null,
      columns:
        flags & HAS_COLUMNS
          ? {
              relation: short[i * SHORT]!,
              subjType: short[i * SHORT + 1]!,
              objType: short[i * SHORT + 2]!,
              tokens: part(1),
              sentence: part(2),
              subjStart: numbers[n + 4]!,
              subjEnd: numbers[n + 5]!,
              objStart: numbers[n + 6]!,
              objEnd: numbers[n + 7]!,
              tokenCount: numbers[n + 8]!,
            }
          : null,
    };
  }
  return records;
}
