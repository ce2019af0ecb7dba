// The benchmark's label noise, as a function and a command:
// `tsx scripts/bench/inject-noise.ts --in train.json --out noisy.json [--seed 1] [--negative no_relation] [--truth truth.json]`.
// 10% of the positives are flipped to the negative label (the false negatives that dominate
// TACRED's noise, Parekh et al. 2023), and 3% of the rest to a random other label; the same
// seed gives the same noise. `--truth` also writes the original labels as a TACRev-style patch.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../../src/main/core/random/seeded-rng';

export type NoisyRecord = Record<string, unknown> & { id: string; relation: string };

/** Returns noisy copies of the records (ids as strings) and the ids whose label changed. */
export function injectNoise<R extends NoisyRecord>(records: readonly R[], options: { seed: number; negative: string }): { noisy: R[]; changed: Set<string> } {
  const random = mulberry32(options.seed);
  const labels = [...new Set(records.map((r) => r.relation))].sort();
  const noisy = records.map((r) => ({ ...r, id: String(r.id) }));
  for (const r of noisy) {
    if (r.relation !== options.negative && random() < 0.1) r.relation = options.negative;
    else if (random() < 0.03) {
      const others = labels.filter((l) => l !== r.relation);
      r.relation = others[Math.floor(random() * others.length)]!;
    }
  }
  const truth = new Map(records.map((r) => [String(r.id), r.relation]));
  return { noisy, changed: new Set(noisy.filter((r) => r.relation !== truth.get(r.id)).map((r) => r.id)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const input = arg('in');
  const output = arg('out');
  if (!input || !output) throw new Error('usage: inject-noise --in train.json --out noisy.json [--seed 1] [--negative no_relation] [--truth truth.json]');
  const records = JSON.parse(fs.readFileSync(input, 'utf8')) as NoisyRecord[];
  const { noisy, changed } = injectNoise(records, { seed: Number(arg('seed') ?? 1), negative: arg('negative') ?? 'no_relation' });
  fs.writeFileSync(output, JSON.stringify(noisy));
  const truth = arg('truth');
  if (truth) fs.writeFileSync(truth, JSON.stringify(records.map((r) => ({ id: String(r.id), relation: r.relation }))));
  console.log(`${changed.size} of ${records.length} labels changed (${((100 * changed.size) / records.length).toFixed(1)}%) -> ${output}`);
}
