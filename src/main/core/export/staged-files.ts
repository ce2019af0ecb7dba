import crypto from 'node:crypto';
import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import { AtomicFileWriter } from '../io/atomic-file';
import { commitRenames } from '../io/commit-journal';

export interface WrittenFile {
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * One output of an export, written to a temporary file. It hashes what it is given as it
 * goes, so the manifest can name every output's sha256 before any of them is renamed into
 * place: the whole set is then committed together, manifest last.
 */
export class StagedFile {
  private readonly writer: AtomicFileWriter;
  private readonly hash = crypto.createHash('sha256');
  private digest: string | null = null;
  bytes = 0;

  constructor(readonly path: string) {
    this.writer = new AtomicFileWriter(path);
  }

  async open(): Promise<void> {
    await this.writer.open();
  }

  async write(text: string): Promise<void> {
    if (this.digest !== null) throw new WinnowError('INTERNAL', `${this.path}: written after it was sealed`);
    this.hash.update(text, 'utf8');
    this.bytes += Buffer.byteLength(text, 'utf8');
    await this.writer.write(text);
  }

  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.digest !== null) throw new WinnowError('INTERNAL', `${this.path}: written after it was sealed`);
    this.hash.update(bytes);
    this.bytes += bytes.length;
    await this.writer.writeBytes(bytes);
  }

  /** Ends the content; its sha256 is final from here on. */
  seal(): WrittenFile {
    this.digest ??= this.hash.digest('hex');
    return { path: this.path, sha256: this.digest, bytes: this.bytes };
  }

  /** Flushes and syncs the content under its temporary name. */
  async prepare(): Promise<WrittenFile> {
    const sealed = this.seal();
    const committed = await this.writer.prepare();
    if (committed !== sealed.sha256) throw new WinnowError('INTERNAL', `${this.path}: content hash changed while writing`);
    return sealed;
  }

  get tempPath(): string {
    return this.writer.tempPath;
  }

  async commit(): Promise<WrittenFile> {
    const sealed = this.seal();
    const committed = await this.writer.commit();
    // Both hashes see the same bytes unless a write split a surrogate pair; say so loudly
    // rather than ship a manifest that does not match its file.
    if (committed !== sealed.sha256) throw new WinnowError('INTERNAL', `${this.path}: content hash changed while writing`);
    return sealed;
  }

  async abort(): Promise<void> {
    await this.writer.abort();
  }
}

/**
 * Files that appear together or not at all: every file is complete and synced under its
 * temporary name before the commit journal (see io/commit-journal) renames them as one unit.
 */
export class StagedSet {
  private readonly files: StagedFile[] = [];

  async open(file: string): Promise<StagedFile> {
    const staged = new StagedFile(file);
    await staged.open();
    this.files.push(staged);
    return staged;
  }

  /**
   * Commits the set; the first file opened names the unit (its journal sits beside it).
   * `beforeCommit` runs once everything is synced, just before the commit point.
   */
  async commitAll(beforeCommit?: (files: WrittenFile[]) => void): Promise<WrittenFile[]> {
    const done: WrittenFile[] = [];
    for (const file of this.files) done.push(await file.prepare());
    if (!this.files.length) return done;
    beforeCommit?.(done);
    commitRenames(this.files[0]!.path, this.files.map((f) => [f.tempPath, path.resolve(f.path)] as const));
    return done;
  }

  async abortAll(): Promise<void> {
    await Promise.all(this.files.map((f) => f.abort()));
  }
}
