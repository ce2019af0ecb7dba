import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticTacred } from '../../../tools/demo-generator/synthetic-tacred';
import { exportDataset } from '../../../src/main/core/export/export-modes';
import { importSplit } from '../../../src/main/core/store/import-split';
import { readReferencePatch } from '../../../src/main/core/io/reference-patch';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { importReferenceSet, referenceLabelsByExample } from '../../../src/main/core/store/reference-sets';

type Rec = { id: string; relation: string } & Record<string, unknown>;

let dir: string;
let db: Db;
let original: Rec[];

/** What a user with their own copy does: drop the sidecar's ids, set the patch's labels. */
function applyPatch(records: Rec[], patchFile: string, eliminatedFile: string): Rec[] {
  const text = fs.readFileSync(patchFile, 'utf8');
  const parsed = JSON.parse(text) as { id: string; relation: string }[] | Record<string, string>;
  const labels = new Map(Array.isArray(parsed) ? parsed.map((e) => [e.id, e.relation] as const) : Object.entries(parsed));
  const gone = new Set(JSON.parse(fs.readFileSync(eliminatedFile, 'utf8')) as string[]);
  return records.filter((r) => !gone.has(r.id)).map((r) => (labels.has(r.id) ? { ...r, relation: labels.get(r.id)! } : r));
}

beforeAll(async () => {
  // Shared by every test of the file, so not the per-test tempDir().
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-patch-'));
  original = generateSyntheticTacred({ n: 300, seed: 7, idPrefix: 'p' }).records as unknown as Rec[];
  fs.writeFileSync(path.join(dir, 'train.json'), JSON.stringify(original));
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  await importSplit(db, { filePath: path.join(dir, 'train.json'), split: 'train' });
  const rows = db.prepare('SELECT id FROM examples ORDER BY position').pluck().all() as number[];
  const labels = [...new Set(original.map((r) => r.relation))].sort();
  rows.forEach((row, i) => {
    if (i % 7 === 0) applyDecisions(db, { examples: [row], action: 'eliminate', annotator: 'ann' });
    else if (i % 5 === 0) applyDecisions(db, { examples: [row], action: 'reannotate', label: labels[i % labels.length]!, annotator: 'ann' });
    else if (i % 3 === 0) applyDecisions(db, { examples: [row], action: 'keep', annotator: 'ann' });
  });
  return () => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
});

describe('patch export', () => {
  for (const style of ['tacrev', 'retacred'] as const) {
    for (const apply of ['eliminate', 'reannotate', 'both'] as const) {
      it(`${style}, ${apply}: the patch applied to the original equals the reviewed export`, async () => {
        const out = path.join(dir, `${style}-${apply}.json`);
        const summary = await exportDataset(db, { split: 'train', mode: 'reviewed', apply, format: 'json', outPath: out, patch: style, appVersion: 't' });
        expect(summary.patch?.path).toBe(`${out}.${style}.json`);
        expect(summary.eliminatedIds?.path).toBe(`${out}.eliminated.json`);
        const reviewed = JSON.parse(fs.readFileSync(out, 'utf8')) as Rec[];
        expect(applyPatch(original, summary.patch!.path, summary.eliminatedIds!.path)).toEqual(reviewed);
        expect(summary.patch!.entries).toBe(summary.relabelled);
        expect(summary.eliminatedIds!.count).toBe(summary.eliminated);
        if (apply !== 'reannotate') expect(summary.eliminated).toBeGreaterThan(30);
        if (apply !== 'eliminate') expect(summary.relabelled).toBeGreaterThan(20);
        // The patch is a real reference patch: Winnow (and so anyone) reads it back.
        const read = await readReferencePatch(summary.patch!.path);
        expect(read.style).toBe(style);
        expect(read.labels.size).toBe(summary.relabelled);
      });
    }
  }

  it('imports back as a reference set that agrees with the export', async () => {
    const summary = await exportDataset(db, { split: 'train', mode: 'reviewed', apply: 'both', format: 'jsonl', outPath: path.join(dir, 'again.jsonl'), patch: 'tacrev', appVersion: 't' });
    await importReferenceSet(db, summary.patch!.path, 'mine');
    const ref = referenceLabelsByExample(db, 'mine');
    const exported = new Map(fs.readFileSync(summary.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec).map((r) => [r.id, r.relation]));
    const extIds = new Map((db.prepare('SELECT id, ext_id FROM examples').all() as { id: number; ext_id: string }[]).map((r) => [r.id, r.ext_id]));
    for (const [row, label] of ref) expect(exported.get(extIds.get(row)!)).toBe(label);
  });

  it('writes empty files, not missing ones, when there is nothing to say', async () => {
    const fresh = openDatabase(path.join(dir, 'q.winnow'), { create: true });
    await importSplit(fresh, { filePath: path.join(dir, 'train.json'), split: 'train' });
    const r = await exportDataset(fresh, { split: 'train', mode: 'reviewed', apply: 'both', format: 'json', outPath: path.join(dir, 'none.json'), patch: 'retacred', appVersion: 't' });
    expect(fs.readFileSync(r.patch!.path, 'utf8')).toBe('{}\n');
    expect(fs.readFileSync(r.eliminatedIds!.path, 'utf8')).toBe('[]\n');
    expect((await readReferencePatch(r.patch!.path)).labels.size).toBe(0);
    fresh.close();
  });
});
