import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { storageError } from '../errors/storage-errors';

/**
 * Writes a file so that its final name only ever holds complete content: data goes to a
 * temporary file in the same folder, is flushed to disk, then renamed over the target.
 */
export class AtomicFileWriter {
  /** Where the content sits until it is renamed over the final name. */
  readonly tempPath: string;
  private handle: fs.promises.FileHandle | null = null;
  private readonly hash = crypto.createHash('sha256');
  private buffered: string[] = [];
  private bufferedBytes = 0;
  bytesWritten = 0;

  constructor(readonly finalPath: string) {
    const dir = path.dirname(path.resolve(finalPath));
    this.tempPath = path.join(dir, `.${path.basename(finalPath)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  }

  /** A full disk is said as such, naming the file being written (not its temporary name). */
  private async named<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw storageError(error, this.finalPath) ?? error;
    }
  }

  async open(): Promise<void> {
    await this.named(async () => {
      await fs.promises.mkdir(path.dirname(this.tempPath), { recursive: true });
      this.handle = await fs.promises.open(this.tempPath, 'wx');
    });
  }

  async write(text: string): Promise<void> {
    this.buffered.push(text);
    this.bufferedBytes += text.length;
    if (this.bufferedBytes >= 1 << 20) await this.named(() => this.flushBuffer());
  }

  /** Binary content (a Parquet file), written after any text already given. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flushBuffer();
    this.hash.update(bytes);
    this.bytesWritten += bytes.length;
    await this.handle!.write(bytes);
  }

  private async flushBuffer(): Promise<void> {
    if (!this.buffered.length) return;
    const data = Buffer.from(this.buffered.join(''), 'utf8');
    this.buffered = [];
    this.bufferedBytes = 0;
    this.hash.update(data);
    this.bytesWritten += data.length;
    await this.handle!.write(data);
  }

  private digest: string | null = null;

  /** Flushes and syncs the temporary file; the final name is not touched yet. */
  async prepare(): Promise<string> {
    if (this.handle) {
      await this.named(async () => {
        await this.flushBuffer();
        await this.handle!.sync();
      });
      await this.handle.close();
      this.handle = null;
      this.digest = this.hash.digest('hex');
    }
    return this.digest!;
  }

  /** Renames the prepared file over the final name. */
  async publish(): Promise<void> {
    await fs.promises.rename(this.tempPath, this.finalPath);
  }

  /** Flushes, syncs and renames; returns the sha256 of the content. */
  async commit(): Promise<string> {
    const digest = await this.prepare();
    await this.publish();
    return digest;
  }

  /** Drops the temporary file; the final name is untouched. */
  async abort(): Promise<void> {
    if (this.handle) await this.handle.close().catch(() => undefined);
    this.handle = null;
    await fs.promises.rm(this.tempPath, { force: true });
  }
}
