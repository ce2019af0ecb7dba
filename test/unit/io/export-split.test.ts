import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFileWriter } from '../../../src/main/core/io/atomic-file';
import { exportSplit } from '../../../src/main/core/io/export-split';
import { importSplit } from '../../../src/main/core/io/import-split';
import { openDatabase } from '../../../src/main/core/store/database';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

describe('export', () => {
  it('never leaves a partial file under the final name, and keeps the previous one when cancelled', async () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
    await importSplit(db, { filePath: writeJson(path.join(dir, 'in.json'), Array.from({ length: 12000 }, (_, i) => record(`r${i}`))), split: 'train' });
    const out = path.join(dir, 'out.json');
    fs.writeFileSync(out, 'previous export');
    const controller = new AbortController();
    await expect(
      exportSplit(db, { split: 'train', outPath: out, format: 'json', signal: controller.signal, onProgress: () => controller.abort() }),
    ).rejects.toThrow(/cancelled/);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous export');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const done = await exportSplit(db, { split: 'train', outPath: out, format: 'json' });
    expect(done.count).toBe(12000);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toHaveLength(12000);
    db.close();
  });

  it('refuses an unknown split', async () => {
    const db = openDatabase(path.join(tempDir(), 'p.winnow'), { create: true });
    await expect(exportSplit(db, { split: 'nope', outPath: '/tmp/x.json', format: 'json' })).rejects.toThrow(/No split named "nope"/);
    db.close();
  });

  it('AtomicFileWriter hashes what it writes', async () => {
    const dir = tempDir();
    const writer = new AtomicFileWriter(path.join(dir, 'f.txt'));
    await writer.open();
    await writer.write('hello ');
    await writer.write('world');
    const sha = await writer.commit();
    expect(sha).toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
    expect(fs.readFileSync(path.join(dir, 'f.txt'), 'utf8')).toBe('hello world');
  });
});
