import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WinnowError } from '../../../shared/errors';
import { prepareRecord, type PreparedRecord } from './prepared-record';
import { ACK, unpackBatch, type ReaderMessage, type ReaderStart } from './record-reader-protocol';
import { readRecords, type ReadOptions, type SourceFormat } from './record-source';

export interface PreparedReadOptions extends ReadOptions {
  /** Read in a thread of its own (default: for files of 8 MiB and more, where a reader thread is found). */
  inWorker?: boolean | undefined;
  /** Bytes of the file read so far (for progress). */
  onBytes?: (bytesRead: number, totalBytes: number) => void;
}

export interface PreparedRecords {
  records: AsyncGenerator<PreparedRecord>;
  /** The SHA-256 of the file's bytes, once every record has been read. */
  sha256(): string;
  /** Whether a reader thread does the reading. */
  readonly inWorker: boolean;
}

/** Files this large are read in a thread of their own: below it, starting one costs more than it saves. */
const WORKER_FROM_BYTES = 8 << 20;
const ENTRY = 'record-reader-worker';

/**
 * The reader thread's script: the built one beside the bundle (or one folder up, from a
 * chunk), else this source folder's TypeScript (development and tests, run through tsx).
 */
function readerEntry(): URL | null {
  for (const candidate of [`./${ENTRY}.js`, `../${ENTRY}.js`, `./${ENTRY}.ts`]) {
    const url = new URL(candidate, import.meta.url);
    if (fs.existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

function startReader(entry: URL, start: ReaderStart): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData: start });
  // TypeScript source: tsx loads it in the thread (a dev dependency; a built app has the .js).
  const load = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(load, { eval: true, workerData: start });
}

/**
 * A JSON or JSON Lines file's records, parsed and checked, in file order. Reading runs in a
 * thread of its own when asked (or for a large file), so that the importing thread only
 * writes; the records and errors are the same either way.
 */
export function readPreparedRecords(file: string, format: SourceFormat, options: PreparedReadOptions = {}): PreparedRecords {
  const entry = options.inWorker === false ? null : readerEntry();
  const useWorker = entry !== null && (options.inWorker ?? fs.statSync(file).size >= WORKER_FROM_BYTES);
  if (!useWorker) {
    const hash = crypto.createHash('sha256');
    async function* inThread(): AsyncGenerator<PreparedRecord> {
      const onBytes = (progress: { chunk: Buffer; bytesRead: number; totalBytes: number }) => {
        hash.update(progress.chunk);
        options.onBytes?.(progress.bytesRead, progress.totalBytes);
      };
      for await (const source of readRecords(file, format, onBytes, { maxRecordBytes: options.maxRecordBytes })) yield prepareRecord(source);
    }
    let digest: string | null = null;
    return { records: inThread(), sha256: () => (digest ??= hash.digest('hex')), inWorker: false };
  }
  let sha256: string | null = null;
  async function* fromWorker(): AsyncGenerator<PreparedRecord> {
    const worker = startReader(entry!, { file, format, maxRecordBytes: options.maxRecordBytes });
    const queue: ReaderMessage[] = [];
    let failure: Error | null = null;
    let notify: (() => void) | null = null;
    const wakeUp = () => {
      notify?.();
      notify = null;
    };
    worker.on('message', (message: ReaderMessage) => {
      queue.push(message);
      wakeUp();
    });
    worker.on('error', (error) => {
      failure = new WinnowError('INTERNAL', `${file}: the reader thread failed: ${error.message}`);
      wakeUp();
    });
    worker.on('exit', (code) => {
      failure ??= new WinnowError('INTERNAL', `${file}: the reader thread stopped (exit code ${code}) before the end of the file`);
      wakeUp();
    });
    try {
      for (;;) {
        const message = queue.shift();
        if (!message) {
          if (failure) throw failure;
          await new Promise<void>((resolve) => (notify = resolve));
          continue;
        }
        if (message.type === 'error') throw new WinnowError(message.code, message.message);
        options.onBytes?.(message.bytesRead, message.totalBytes);
        if (message.type === 'end') {
          sha256 = message.sha256;
          return;
        }
        yield* unpackBatch(message.batch);
        worker.postMessage(ACK);
      }
    } finally {
      worker.removeAllListeners();
      await worker.terminate();
    }
  }
  return {
    records: fromWorker(),
    sha256: () => {
      if (sha256 === null) throw new Error('the file has not been read to its end');
      return sha256;
    },
    inWorker: true,
  };
}
