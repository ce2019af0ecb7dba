// The reader thread of an import: frames, parses and checks the records of a JSON or JSON
// Lines file while the importing thread writes the previous ones to the project (on a
// million records each side is about half of the import's time). It never touches the project.
import crypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { WinnowError } from '../../../shared/errors';
import { prepareRecord, type PreparedRecord } from './prepared-record';
import { ACK, BATCH_CHARS, BATCH_RECORDS, BATCHES_IN_FLIGHT, packBatch, type ReaderMessage, type ReaderStart } from './record-reader-protocol';
import { readRecords } from './record-source';

const port = parentPort!;
const start = workerData as ReaderStart;
let credits = BATCHES_IN_FLIGHT;
let wake: (() => void) | null = null;
port.on('message', (message) => {
  if (message !== ACK) return;
  credits++;
  wake?.();
  wake = null;
});

const post = (message: ReaderMessage) => port.postMessage(message);

async function read(): Promise<void> {
  const hash = crypto.createHash('sha256');
  let bytesRead = 0;
  let totalBytes = 0;
  let batch: PreparedRecord[] = [];
  let chars = 0;
  const send = async () => {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    post({ type: 'batch', batch: packBatch(batch), bytesRead, totalBytes });
    batch = [];
    chars = 0;
  };
  const onBytes = (progress: { chunk: Buffer; bytesRead: number; totalBytes: number }) => {
    hash.update(progress.chunk);
    bytesRead = progress.bytesRead;
    totalBytes = progress.totalBytes;
  };
  try {
    for await (const source of readRecords(start.file, start.format, onBytes, { maxRecordBytes: start.maxRecordBytes })) {
      batch.push(prepareRecord(source));
      chars += source.text.length;
      if (batch.length >= BATCH_RECORDS || chars >= BATCH_CHARS) await send();
    }
  } finally {
    // The records before a read error still go first, as they would on the importing thread
    // (an earlier invalid record is the error to report).
    if (batch.length) await send();
  }
  post({ type: 'end', sha256: hash.digest('hex'), bytesRead, totalBytes });
}

read().catch((error: unknown) => {
  post({ type: 'error', code: error instanceof WinnowError ? error.code : 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
});
