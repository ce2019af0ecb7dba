import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSyntheticTacred,
  writeSyntheticTacredFile,
  type SyntheticRecord,
} from '../../../tools/demo-generator/synthetic-tacred';
import { TACRED_KEY_ORDER } from '../../../tools/demo-generator/synthetic-record';
import { compileTemplate } from '../../../tools/demo-generator/template-compiler';
import {
  NEGATIVE_LABEL,
  NER_TAG,
  RELATION_SIGNATURES,
  TACRED_RELATIONS,
  type EntityType,
  type RelationName,
} from '../../../tools/demo-generator/relations';

const isRelation = (label: string): label is RelationName => (TACRED_RELATIONS as readonly string[]).includes(label);

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('generateSyntheticTacred', () => {
  const sample = generateSyntheticTacred({ n: 3000, seed: 20240611 });

  it('is deterministic under the seed and differs across seeds', () => {
    const again = generateSyntheticTacred({ n: 3000, seed: 20240611 });
    expect(JSON.stringify(again.records)).toBe(JSON.stringify(sample.records));
    expect([...again.trueLabels]).toEqual([...sample.trueLabels]);
    expect(again.noisyIds).toEqual(sample.noisyIds);

    const other = generateSyntheticTacred({ n: 3000, seed: 20240612 });
    const sameText = other.records.filter((r, i) => r.token.join(' ') === sample.records[i]?.token.join(' '));
    expect(sameText.length).toBeLessThan(30);
  });

  it('has TACRED key order exactly, with or without the Stanford fields', () => {
    for (const record of sample.records) expect(Object.keys(record)).toEqual([...TACRED_KEY_ORDER]);
    const bare = generateSyntheticTacred({ n: 50, seed: 3, withStanford: false });
    for (const record of bare.records) expect(Object.keys(record)).toEqual(TACRED_KEY_ORDER.slice(0, 10));
  });

  it('numbers ids with the prefix and gives a Gigaword-like docid', () => {
    const { records } = generateSyntheticTacred({ n: 12, seed: 1, idPrefix: 'demo-train-' });
    expect(records[0]?.id).toBe('demo-train-000001');
    expect(records[11]?.id).toBe('demo-train-000012');
    expect(new Set(sample.records.map((r) => r.id)).size).toBe(sample.records.length);
    for (const record of records) expect(record.docid).toMatch(/^[A-Z]{3}_ENG_\d{8}\.\d{4}$/);
  });

  it('keeps spans inside the sentence, inclusive and non-overlapping, over real entity tokens', () => {
    for (const r of sample.records) {
      const n = r.token.length;
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThanOrEqual(40);
      for (const [start, end] of [
        [r.subj_start, r.subj_end],
        [r.obj_start, r.obj_end],
      ] as const) {
        expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeGreaterThanOrEqual(start);
        expect(end).toBeLessThan(n);
        for (let i = start; i <= end; i++) expect(r.token[i]).toMatch(/\S/);
      }
      expect(r.subj_end < r.obj_start || r.obj_end < r.subj_start).toBe(true);
      // The entity tags agree with the KBP types on every token of each span.
      const subjNer = NER_TAG[r.subj_type as EntityType];
      const objNer = NER_TAG[r.obj_type as EntityType];
      expect(r.stanford_ner?.slice(r.subj_start, r.subj_end + 1).every((t) => t === subjNer)).toBe(true);
      expect(r.stanford_ner?.slice(r.obj_start, r.obj_end + 1).every((t) => t === objNer)).toBe(true);
      expect(r.token.slice(r.subj_start, r.subj_end + 1).join(' ')).not.toBe(r.token.slice(r.obj_start, r.obj_end + 1).join(' '));
    }
  });

  it('gives each relation the entity types it admits', () => {
    for (const r of sample.records) {
      const truth = sample.trueLabels.get(r.id) ?? '';
      expect(['PERSON', 'ORGANIZATION']).toContain(r.subj_type);
      if (!isRelation(truth)) continue;
      const signature = RELATION_SIGNATURES[truth];
      expect(r.subj_type).toBe(signature.subj);
      expect(signature.obj.map((o) => o.type)).toContain(r.obj_type);
    }
    const birthplaces = sample.records.filter((r) => sample.trueLabels.get(r.id) === 'per:city_of_birth');
    expect(birthplaces.length).toBeGreaterThan(0);
    for (const r of birthplaces) expect([r.subj_type, r.obj_type]).toEqual(['PERSON', 'CITY']);
  });

  it('has Stanford arrays aligned with the tokens and heads that form one tree', () => {
    const nerTags = new Set(['O', 'PERSON', 'ORGANIZATION', 'LOCATION', 'DATE', 'NUMBER', 'DURATION', 'MISC']);
    for (const r of sample.records) {
      const n = r.token.length;
      const heads = r.stanford_head ?? [];
      expect(r.stanford_pos).toHaveLength(n);
      expect(r.stanford_ner).toHaveLength(n);
      expect(heads).toHaveLength(n);
      expect(r.stanford_deprel).toHaveLength(n);
      for (const tag of r.stanford_ner ?? []) expect(nerTags.has(tag)).toBe(true);
      for (const tag of r.stanford_pos ?? []) expect(tag).toMatch(/^\S+$/);

      const roots = heads.flatMap((h, i) => (h === 0 ? [i] : []));
      expect(roots).toHaveLength(1);
      expect(r.stanford_deprel?.[roots[0] ?? -1]).toBe('ROOT');
      heads.forEach((h, i) => {
        expect(Number.isInteger(h) && h >= 0 && h <= n && h !== i + 1).toBe(true);
        // Every token reaches the root without a cycle.
        let t = i;
        let steps = 0;
        while (heads[t] !== 0 && steps <= n) {
          t = (heads[t] ?? 1) - 1;
          steps++;
        }
        expect(steps).toBeLessThanOrEqual(n);
      });
    }
  });

  it('draws about 70% negatives and a Zipf-like tail in which every relation appears', () => {
    const n = 3000;
    const truth = [...sample.trueLabels.values()];
    const trueCounts = countBy(truth, (l) => l);
    expect(trueCounts.get(NEGATIVE_LABEL)).toBe(Math.round(n * 0.7));
    const given = countBy(sample.records, (r) => r.relation);
    const givenNegativeShare = (given.get(NEGATIVE_LABEL) ?? 0) / n;
    expect(givenNegativeShare).toBeGreaterThan(0.7);
    expect(givenNegativeShare).toBeLessThan(0.76);

    for (const relation of TACRED_RELATIONS) {
      expect(trueCounts.get(relation) ?? 0).toBeGreaterThan(0);
      expect(given.get(relation) ?? 0).toBeGreaterThan(0);
    }
    const head = trueCounts.get(TACRED_RELATIONS[0]) ?? 0;
    const middle = trueCounts.get(TACRED_RELATIONS[20]) ?? 0;
    const tail = trueCounts.get(TACRED_RELATIONS[40]) ?? 0;
    expect(head).toBeGreaterThan(3 * middle);
    expect(middle).toBeGreaterThanOrEqual(tail);

    const thousand = generateSyntheticTacred({ n: 1000, seed: 9 });
    const present = new Set(thousand.records.map((r) => r.relation));
    for (const relation of TACRED_RELATIONS) expect(present.has(relation)).toBe(true);

    const half = generateSyntheticTacred({ n: 1000, seed: 9, negativeShare: 0.5 });
    expect([...half.trueLabels.values()].filter((l) => l === NEGATIVE_LABEL)).toHaveLength(500);
  });

  it('flips labels at the requested rates and reports exactly the flipped ids', () => {
    const check = (result: ReturnType<typeof generateSyntheticTacred>, fnRate: number, randomRate: number): void => {
      const { records, trueLabels, noisyIds } = result;
      const n = records.length;
      const positives = [...trueLabels.values()].filter((l) => l !== NEGATIVE_LABEL).length;
      const noisy = new Set(noisyIds);
      let falseNegatives = 0;
      for (const r of records) {
        const truth = trueLabels.get(r.id);
        expect(truth).toBeDefined();
        expect(noisy.has(r.id)).toBe(truth !== r.relation);
        if (truth !== NEGATIVE_LABEL && r.relation === NEGATIVE_LABEL) falseNegatives++;
      }
      expect(trueLabels.size).toBe(n);
      // Random flips may also land on no_relation, so allow for those on top of the planned count.
      const plannedFalseNegatives = Math.round(positives * fnRate);
      const plannedRandom = Math.round(n * randomRate);
      expect(falseNegatives).toBeGreaterThanOrEqual(plannedFalseNegatives);
      expect(falseNegatives).toBeLessThanOrEqual(plannedFalseNegatives + plannedRandom);
      expect(noisyIds).toHaveLength(plannedFalseNegatives + plannedRandom);
      expect(noisyIds).toEqual(records.filter((r) => noisy.has(r.id)).map((r) => r.id));
    };
    check(sample, 0.1, 0.03);
    check(generateSyntheticTacred({ n: 2000, seed: 5, noise: { falseNegativeRate: 0.3, randomRate: 0.1 } }), 0.3, 0.1);
    const clean = generateSyntheticTacred({ n: 500, seed: 5, noise: { falseNegativeRate: 0, randomRate: 0 } });
    expect(clean.noisyIds).toEqual([]);
  });

  it('keeps the text of the true relation on flipped records', () => {
    const flippedToNegative = sample.records.filter(
      (r) => r.relation === NEGATIVE_LABEL && sample.trueLabels.get(r.id) === 'per:city_of_birth',
    );
    const clean = sample.records.filter(
      (r) => r.relation === 'per:city_of_birth' && sample.trueLabels.get(r.id) === 'per:city_of_birth',
    );
    expect(flippedToNegative.length + clean.length).toBeGreaterThan(0);
    for (const r of [...flippedToNegative, ...clean]) {
      expect(r.token.some((t) => t === 'born' || t === 'Born' || t === 'native')).toBe(true);
    }
  });

  it('carries a signal that a bag of words around the entities can learn', () => {
    const features = (r: SyntheticRecord): string[] => {
      const left = Math.min(r.subj_start, r.obj_start);
      const right = Math.max(r.subj_end, r.obj_end);
      const out = [`types=${r.subj_type}/${r.obj_type}`, `subjectFirst=${r.subj_start < r.obj_start}`];
      for (let i = Math.min(r.subj_end, r.obj_end) + 1; i < Math.max(r.subj_start, r.obj_start); i++) out.push(`between=${r.token[i]?.toLowerCase()}`);
      for (let i = Math.max(0, left - 3); i < left; i++) out.push(`before=${r.token[i]?.toLowerCase()}`);
      for (let i = right + 1; i < Math.min(r.token.length, right + 4); i++) out.push(`after=${r.token[i]?.toLowerCase()}`);
      return out;
    };
    const noiseFree = { falseNegativeRate: 0, randomRate: 0 };
    const train = generateSyntheticTacred({ n: 6000, seed: 100, noise: noiseFree, withStanford: false }).records;
    const test = generateSyntheticTacred({ n: 1500, seed: 200, noise: noiseFree, withStanford: false }).records;

    // Multinomial naive Bayes with add-0.1 smoothing.
    const docs = countBy(train, (r) => r.relation);
    const featureCounts = new Map<string, Map<string, number>>();
    const totals = new Map<string, number>();
    const vocabulary = new Set<string>();
    for (const r of train) {
      const counts = featureCounts.get(r.relation) ?? new Map<string, number>();
      featureCounts.set(r.relation, counts);
      for (const f of features(r)) {
        counts.set(f, (counts.get(f) ?? 0) + 1);
        totals.set(r.relation, (totals.get(r.relation) ?? 0) + 1);
        vocabulary.add(f);
      }
    }
    let correct = 0;
    for (const r of test) {
      let best = '';
      let bestScore = -Infinity;
      for (const [label, counts] of featureCounts) {
        let score = Math.log(docs.get(label) ?? 1);
        const total = (totals.get(label) ?? 0) + 0.1 * vocabulary.size;
        for (const f of features(r)) score += Math.log(((counts.get(f) ?? 0) + 0.1) / total);
        if (score > bestScore) {
          bestScore = score;
          best = label;
        }
      }
      if (best === r.relation) correct++;
    }
    expect(correct / test.length).toBeGreaterThan(0.85);
  });

  it('rejects impossible options', () => {
    expect(() => generateSyntheticTacred({ n: -1, seed: 1 })).toThrow(RangeError);
    expect(() => generateSyntheticTacred({ n: 1.5, seed: 1 })).toThrow(RangeError);
    expect(() => generateSyntheticTacred({ n: 10, seed: 1, negativeShare: 1.2 })).toThrow(RangeError);
    expect(() => generateSyntheticTacred({ n: 10, seed: 1, noise: { falseNegativeRate: -0.1, randomRate: 0 } })).toThrow(RangeError);
    expect(generateSyntheticTacred({ n: 0, seed: 1 }).records).toEqual([]);
  });
});

describe('writeSyntheticTacredFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'winnow-synthetic-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const options = { n: 1500, seed: 77, idPrefix: 'bench-' };

  it('writes a JSON array, one record a line, that parses back to the generated records', async () => {
    const path = join(dir, 'train.json');
    const summary = await writeSyntheticTacredFile(path, { ...options, format: 'json' });
    const text = await readFile(path, 'utf8');
    const expected = generateSyntheticTacred(options).records;
    expect(summary).toEqual({ count: expected.length, bytes: (await stat(path)).size });
    expect(JSON.parse(text)).toEqual(expected);
    const lines = text.split('\n');
    expect(lines[0]).toBe('[');
    expect(lines).toHaveLength(expected.length + 3);
    // Key order survives the round trip, not just the values.
    expect(Object.keys(JSON.parse(lines[1]?.replace(/,$/, '') ?? '{}') as object)).toEqual([...TACRED_KEY_ORDER]);
  });

  it('writes JSON Lines that parse back to the generated records', async () => {
    const path = join(dir, 'train.jsonl');
    const summary = await writeSyntheticTacredFile(path, { ...options, withStanford: false, format: 'jsonl' });
    const text = await readFile(path, 'utf8');
    const parsed = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SyntheticRecord);
    expect(parsed).toEqual(generateSyntheticTacred({ ...options, withStanford: false }).records);
    expect(summary).toEqual({ count: options.n, bytes: Buffer.byteLength(text) });
  });

  it('writes an empty array for n = 0 and reports a missing folder as an error', async () => {
    const path = join(dir, 'empty.json');
    expect(await writeSyntheticTacredFile(path, { n: 0, seed: 1, format: 'json' })).toEqual({ count: 0, bytes: 3 });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([]);
    await expect(writeSyntheticTacredFile(join(dir, 'no', 'such', 'dir.json'), { n: 5, seed: 1, format: 'json' })).rejects.toThrow();
  });
});

describe('compileTemplate', () => {
  it('counts entity slots and rejects malformed templates', () => {
    const template = compileTemplate('{S} (was|is) born in {O} [in {YEAR}] @END', { END: '(today|now)' });
    expect([template.subjects, template.objects]).toEqual([1, 1]);
    expect(() => compileTemplate('{S} (met {O}|saw {O})')).toThrow(/inside a choice/);
    expect(() => compileTemplate('{S} (met')).toThrow(/unclosed/);
    expect(() => compileTemplate('{S} {X:his}')).toThrow(/unknown slot/);
    expect(() => compileTemplate('{S} @LOOP', { LOOP: 'again @LOOP' })).toThrow(/recursive macro/);
  });
});
