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

export async function* readRecords(
  path: string,
  format: SourceFormat,
  onBytes?: (progress: ReadProgress) => void,
): AsyncGenerator<SourceRecord> {
  const totalBytes = (await fs.promises.stat(path)).size;
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  stream.on('data', (chunk) => {
    bytesRead += chunk.length;
    onBytes?.({ bytesRead, totalBytes, chunk: chunk as Buffer });
  });
  try {
    if (format === 'json') yield* readJsonArray(path, stream);
    else yield* readJsonLines(path, stream);
  } finally {
    stream.destroy();
  }
}

async function* readJsonArray(path: string, stream: fs.ReadStream): AsyncGenerator<SourceRecord> {
  const framer = new JsonArrayFramer();
  try {
    for await (const chunk of stream) {
      for (const element of framer.push(chunk as Buffer)) {
        yield { index: element.index, line: null, text: element.text };
      }
    }
    framer.end();
  } catch (error) {
    if (error instanceof JsonFramingError) {
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
 * refused (naming the line) instead of having bytes replaced or, at the end, dropped.
 */
async function* readJsonLines(path: string, stream: fs.ReadStream): AsyncGenerator<SourceRecord> {
  let pending: Buffer = Buffer.alloc(0);
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
  for await (const chunk of stream) {
    const buffer = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let newline = buffer.indexOf(0x0a, start); newline !== -1; newline = buffer.indexOf(0x0a, start)) {
      const record = decode(buffer.subarray(start, newline));
      if (record) yield record;
      start = newline + 1;
    }
    pending = Buffer.from(buffer.subarray(start));
  }
  if (pending.length) {
    const record = decode(pending);
    if (record) yield record;
  }
}
