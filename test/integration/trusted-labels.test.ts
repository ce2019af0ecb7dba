import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSyntheticTacred } from '../../tools/demo-generator/synthetic-tacred';
import { importSplit } from '../../src/main/core/store/import-split';
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { iteratePredictions } from '../../src/main/core/ranking/run-quality';
import { openDatabase } from '../../src/main/core/store/database';
import { importReferenceSet } from '../../src/main/core/store/reference-sets';
import { tempDir } from '../helpers/temp-dir';

// The built-in model trains on the clean set's trusted labels, not on the given ones. To see
// it, the clean set's reference moves every label to the next one (a rule the model can
// learn) and the same split is ranked: the out-of-fold predictions follow whichever labels the
// model trained on.
describe('the clean set trains the built-in model with its trusted labels', () => {
  it('learns the reference labels where the clean set has them', async () => {
    const dir = tempDir();
    const { records } = generateSyntheticTacred({ n: 900, seed: 77, idPrefix: 'dv', noise: { falseNegativeRate: 0, randomRate: 0 } });
    fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(records));
    const db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
    try {
      await importSplit(db, { filePath: path.join(dir, 'dev.json'), split: 'dev' });
      const labels = [...new Set(records.map((r) => r.relation))].sort();
      const shifted = new Map(labels.map((l, i) => [l, labels[(i + 1) % labels.length]!]));
      fs.writeFileSync(path.join(dir, 'shifted.json'), JSON.stringify(records.map((r) => ({ id: r.id, relation: shifted.get(r.relation) }))));
      await importReferenceSet(db, path.join(dir, 'shifted.json'), 'shifted');

      const share = (runId: number, expected: (given: string) => string) => {
        const lines = [...iteratePredictions(db, runId)];
        expect(lines).toHaveLength(records.length);
        return lines.filter((p) => p.predicted === expected(p.given)).length / lines.length;
      };
      const options = { strategies: ['cl' as const], splits: ['dev'], clean: [{ kind: 'split' as const, name: 'dev' }], seed: 3 };
      const asGiven = await rankProject(db, options);
      const fromReference = await rankProject(db, { ...options, cleanReference: 'shifted' });

      const given = (l: string) => l;
      const next = (l: string) => shifted.get(l)!;
      // Without a reference the trusted labels are the given ones.
      expect(share(asGiven.runId, given)).toBeGreaterThan(0.6);
      expect(share(asGiven.runId, next)).toBeLessThan(0.1);
      // With it, the model learnt the reference: its predictions disagree with the given
      // labels, so CL flags most of the split.
      expect(share(fromReference.runId, next)).toBeGreaterThan(0.6);
      expect(share(fromReference.runId, given)).toBeLessThan(0.1);
      expect(fromReference.flags.cl).toBeGreaterThan(records.length / 2);
    } finally {
      db.close();
    }
  }, 180_000);
});
