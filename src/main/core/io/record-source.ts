import fs from 'node:fs';
import readline from 'node:readline';
import { WinnowError } from '../../../shared/errors';
import { JsonArrayFramer, JsonFramingError } from './json-array-framer';

export type SourceFormat = 'json' | 'jsonl';

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
    else yield* readJsonLines(stream);
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

async function* readJsonLines(stream: fs.ReadStream): AsyncGenerator<SourceRecord> {
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  let index = 0;
  for await (const text of lines) {
    line++;
    // A BOM on the first line and blank lines (often a trailing newline) carry no record.
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (trimmed.trim() === '') continue;
    yield { index: index++, line, text: trimmed };
  }
}
