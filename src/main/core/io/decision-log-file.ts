import fs from 'node:fs';
import readline from 'node:readline';
import { WinnowError } from '../../../shared/errors';
import { DECISION_LOG_FORMAT, DecisionLogEntry, DecisionLogHeader } from '../../../shared/team';
import { AtomicFileWriter } from './atomic-file';

/**
 * A decision log as one copy of a project hands it to another: JSON Lines, a header
 * (format, the dataset fingerprint, the record count) then one record per line in log order.
 * The count lets a reader tell a complete file from a cut one.
 */
export interface DecisionLog {
  header: DecisionLogHeader;
  entries: DecisionLogEntry[];
  /** Line number (1-based) of each entry, for messages. */
  lines: number[];
}

/** A log larger than this is not a decision log (a million records is about 400 MB). */
export const MAX_DECISION_LOG_BYTES = 1024 * 1024 * 1024;

function issueText(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.');
  return `${field ? `field "${field}": ` : ''}${issue?.message ?? 'invalid'}`;
}

/** Reads and checks a whole log; every error names the file, the line and the field. */
export async function readDecisionLog(file: string, label = file): Promise<DecisionLog> {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new WinnowError('NOT_FOUND', `${label}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (size > MAX_DECISION_LOG_BYTES) throw new WinnowError('INVALID_FILE', `${label}: ${size} bytes is far larger than any decision log; not read`);
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const reader = readline.createInterface({ input, crlfDelay: Infinity });
  let header: DecisionLogHeader | null = null;
  const entries: DecisionLogEntry[] = [];
  const lines: number[] = [];
  const seen = new Map<string, number>();
  let lineNumber = 0;
  try {
    for await (const text of reader) {
      lineNumber++;
      if (!text.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new WinnowError('INVALID_FILE', `${label}: line ${lineNumber} is not JSON (${(error as Error).message})`);
      }
      if (header === null) {
        const format = (value as { format?: unknown } | null)?.format;
        if (format !== DECISION_LOG_FORMAT) {
          throw new WinnowError('INVALID_FILE', `${label}: not a Winnow decision log (line ${lineNumber} should be a header with "format": "${DECISION_LOG_FORMAT}"; write one with \`winnow decisions export\`)`);
        }
        const parsed = DecisionLogHeader.safeParse(value);
        if (!parsed.success) throw new WinnowError('INVALID_FILE', `${label}: line ${lineNumber} (the header), ${issueText(parsed.error)}`);
        header = parsed.data;
        continue;
      }
      const parsed = DecisionLogEntry.safeParse(value);
      const uid = typeof (value as { uid?: unknown } | null)?.uid === 'string' ? ` (record "${(value as { uid: string }).uid}")` : '';
      if (!parsed.success) throw new WinnowError('INVALID_FILE', `${label}: line ${lineNumber}${uid}, ${issueText(parsed.error)}`);
      const first = seen.get(parsed.data.uid);
      if (first !== undefined) throw new WinnowError('INVALID_FILE', `${label}: line ${lineNumber}${uid} repeats the uid of line ${first}`);
      seen.set(parsed.data.uid, lineNumber);
      entries.push(parsed.data);
      lines.push(lineNumber);
    }
  } finally {
    reader.close();
    input.destroy();
  }
  if (header === null) throw new WinnowError('INVALID_FILE', `${label}: is empty; a decision log starts with a header line`);
  if (entries.length !== header.records) {
    throw new WinnowError('INVALID_FILE', `${label}: holds ${entries.length} records but its header announces ${header.records}; the file is incomplete or was edited`);
  }
  return { header, entries, lines };
}

/** Writes a log atomically (a temporary file renamed into place); returns its sha256. */
export async function writeDecisionLog(file: string, header: DecisionLogHeader, entries: Iterable<DecisionLogEntry>): Promise<string> {
  const writer = new AtomicFileWriter(file);
  await writer.open();
  try {
    await writer.write(`${JSON.stringify(header)}\n`);
    for (const entry of entries) await writer.write(`${JSON.stringify(entry)}\n`);
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
