import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '../../../src/main/core/export/export-modes';
import { importSplit } from '../../../src/main/core/store/import-split';
import { openDatabase } from '../../../src/main/core/store/database';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

const original = { split: 'train', mode: 'original', apply: 'both', format: 'json', appVersion: 'test' } as const;

describe('original export of a split larger than one batch', () => {
  it('never leaves a partial file under the final name, and keeps the previous one when cancelled mid-file', async () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
    await importSplit(db, { filePath: writeJson(path.join(dir, 'in.json'), Array.from({ length: 12000 }, (_, i) => record(`r${i}`))), split: 'train' });
    const out = path.join(dir, 'out.json');
    fs.writeFileSync(out, 'previous export');
    const controller = new AbortController();
    const written: number[] = [];
    await expect(
      exportDataset(db, {
        ...original,
        outPath: out,
        signal: controller.signal,
        // Cancel once the first batch is in the staged file, so there is a partial file to leave behind.
        onProgress: (p) => {
          if (p.phase !== 'writing' || p.done === 0) return;
          written.push(p.done);
          controller.abort();
        },
      }),
    ).rejects.toThrow(/cancelled/);
    expect(written).toEqual([5000]);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous export');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const done = await exportDataset(db, { ...original, outPath: out });
    expect(done.count).toBe(12000);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toHaveLength(12000);
    db.close();
  });
});
