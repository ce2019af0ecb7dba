import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { WinnowError } from '../../../shared/errors';
import { JsonArrayFramer, JsonFramingError } from './json-array-framer';

export type SourceFormat = 'json' | 'jsonl';

/** A JSON Lines line whose bytes are not UTF-8; readers may restate it in their own terms. */
export class NotUtf8Error extends WinnowError {
  constructor(
    readonly file: string,
    readonly index: number,
    readonly line: number,
  ) {
    super('INVALID_FILE', `${file}: record ${index} (line ${line}): is not valid UTF-8 (save the file as UTF-8)`);
  }
}

/** One record's verbatim text, located for error messages. */
export interface SourceRecord {
  /** 0-based record index within the file. */
  index: number;
  /** 1-based line for JSON Lines; null for JSON arrays. */
  line: number | null;
  text: string;
}

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
  chunk: Buffer;
}

/** Guesses the format from the first non-space byte: '[' is a JSON array, '{' JSON Lines. */
export async function detectFormat(path: string): Promise<SourceFormat> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    for (let i = 0; i < bytesRead; i++) {
      const byte = buffer[i]!;
      if (byte === 0x5b) return 'json';
      if (byte === 0x7b) return 'jsonl';
      if (byte === 0xef || byte === 0xbb || byte === 0xbf || byte <= 0x20) continue;
      break;
    }
  } finally {
    await handle.close();
  }
  throw new WinnowError('INVALID_FILE', `${path}: neither a JSON array nor JSON Lines (first character is not "[" or "{")`);
}

/** The default cap on one record's size; a TACRED record is a few KB. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface ReadOptions {
  /** Largest record accepted, in bytes (default 64 MiB); a larger one stops the read with a clear error. */
  maxRecordBytes?: number;
}

export function mib(bytes: number): string {
  const value = bytes / 1024 / 1024;
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} MiB`;
}

/** One record over the cap: names where it starts, its size and the limit. */
export class RecordTooLargeError extends WinnowError {
  constructor(file: string, where: string, size: number, limit: number, complete: boolean) {
    super(
      'INVALID_FILE',
      `${file}: ${where}: is ${complete ? '' : 'at least '}${mib(size)} (${size} bytes), over the limit of ${mib(limit)} for one record (raise it with --max-record-mb if the file is right)`,
    );
  }
}

export async function* readRecords(
  path: string,
  format: SourceFormat,
  onBytes?: (progress: ReadProgress) => void,
  options: ReadOptions = {},
): AsyncGenerator<SourceRecord> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const totalBytes = (await fs.promises.stat(path)).size;
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  stream.on('data', (chunk) => {
    bytesRead += chunk.length;
    onBytes?.({ bytesRead, totalBytes, chunk: chunk as Buffer });
  });
  try {
    if (format === 'json') yield* readJsonArray(path, stream, maxRecordBytes);
    else yield* readJsonLines(path, stream, maxRecordBytes);
  } finally {
    stream.destroy();
  }
}

async function* readJsonArray(path: string, stream: fs.ReadStream, maxRecordBytes: number): AsyncGenerator<SourceRecord> {
  const framer = new JsonArrayFramer({ maxElementBytes: maxRecordBytes });
  try {
    for await (const chunk of stream) {
      for (const element of framer.push(chunk as Buffer)) {
        yield { index: element.index, line: null, text: element.text };
      }
    }
    framer.end();
  } catch (error) {
    if (error instanceof JsonFramingError) {
      if (error.tooLarge) {
        throw new RecordTooLargeError(path, `record ${error.elementIndex} (byte ${error.byteOffset})`, error.tooLarge.size, maxRecordBytes, error.tooLarge.complete);
      }
      throw new WinnowError(
        'INVALID_FILE',
        `${path}: record ${error.elementIndex} (byte ${error.byteOffset}): ${error.message}`,
      );
    }
    throw error;
  }
}

/**
 * Lines are split on bytes and each is decoded strictly, so that a file that is not UTF-8 is
 * refused (naming the line) instead of having bytes replaced or, at the end, dropped. A line
 * that spans chunks is kept as a list of pieces and joined once, so reading is linear in
 * the line's length; a line over the cap is only measured, never held.
 */
async function* readJsonLines(path: string, stream: fs.ReadStream, maxRecordBytes: number): AsyncGenerator<SourceRecord> {
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  /** Bytes of a line over the cap, counted to its end for the error message. */
  let oversized: number | null = null;
  let line = 0;
  let index = 0;
  const decode = (bytes: Buffer): SourceRecord | null => {
    line++;
    if (!isUtf8(bytes)) throw new NotUtf8Error(path, index, line);
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    // A BOM on the first line and blank lines (often a trailing newline) carry no record.
    if (line === 1) text = text.replace(/^\uFEFF/, '');
    if (text.trim() === '') return null;
    return { index: index++, line, text };
  };
  const tooLarge = (size: number, complete: boolean) => new RecordTooLargeError(path, `record ${index} (line ${line + 1})`, size, maxRecordBytes, complete);
  for await (const data of stream) {
    const chunk = data as Buffer;
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (oversized !== null) throw tooLarge(oversized + piece.length, true);
      const size = pieceBytes + piece.length;
      if (size > maxRecordBytes) throw tooLarge(size, true);
      let bytes = piece;
      if (pieces.length) {
        pieces.push(piece);
        bytes = Buffer.concat(pieces, size);
        pieces = [];
        pieceBytes = 0;
      }
      const record = decode(bytes);
      if (record) yield record;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (oversized !== null) oversized += rest.length;
      else if (pieceBytes + rest.length > maxRecordBytes) {
        oversized = pieceBytes + rest.length;
        pieces = [];
        pieceBytes = 0;
      } else {
        pieces.push(rest);
        pieceBytes += rest.length;
      }
    }
  }
  if (oversized !== null) throw tooLarge(oversized, true);
  if (pieces.length) {
    const record = decode(Buffer.concat(pieces, pieceBytes));
    if (record) yield record;
  }
}
