/**
 * Approximate (IVF) against exact neighbour search on the embedding KNN uses (the label-free
 * random projection of the built-in model's segment features) over a generated TACRED-style
 * dataset, or over a TACRED JSON file: time of each, and recall@k of the index.
 *
 *   npx tsx scripts/bench-ivf.ts --n 100000                 # generated data, nprobe tuned as in a run
 *   npx tsx scripts/bench-ivf.ts --file train.json          # a TACRED JSON array
 *   npx tsx scripts/bench-ivf.ts --n 100000 --lists 200 --probes 16,24,32 --recall-sample 2000
 *
 * With --recall-sample 0 (the default up to 150k rows) recall is computed over every query
 * against a full exact search; past that, over a seeded sample, as the ranking does.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { iterateSyntheticTacred } from '../tools/demo-generator/synthetic-tacred';
import { segmentFeatures } from '../src/main/core/model/builtin';
import type { RelationExample } from '../src/main/core/model/encoded-batch';
import { buildVocabulary } from '../src/main/core/model/builtin/vocabulary';
import { encodeWithVocabulary } from '../src/main/core/model/builtin/cross-fit';
import { randomProjectionEmbedding, segmentWeights } from '../src/main/core/ranking/label-free-embedding';
import { exactCosineTopK } from '../src/main/core/inference/knn';
import { defaultIvfParams, IvfIndex } from '../src/main/core/inference/ivf-index';
import { TopKSession } from '../src/main/core/inference/topk-session';
import { createNeighbourSearch, measureRecall, type SearchReport } from '../src/main/core/inference/search-method';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    file: { type: 'string' },
    k: { type: 'string', default: '3' },
    lists: { type: 'string' },
    probes: { type: 'string' },
    'recall-sample': { type: 'string' },
    exact: { type: 'boolean', default: true },
  },
});
const k = Number(values.k);

type Example = RelationExample & { tokens: string[] };

function loadExamples(): Example[] {
  if (values.file) {
    const records = JSON.parse(fs.readFileSync(values.file, 'utf8')) as { token: string[]; subj_start: number; subj_end: number; obj_start: number; obj_end: number; subj_type: string; obj_type: string }[];
    return records.map((r) => ({ tokens: r.token, subjStart: r.subj_start, subjEnd: r.subj_end, objStart: r.obj_start, objEnd: r.obj_end, subjType: r.subj_type, objType: r.obj_type }));
  }
  const out: Example[] = [];
  for (const { record: r } of iterateSyntheticTacred({ n: Number(values.n), seed: 11, withStanford: false })) {
    out.push({ tokens: r.token, subjStart: r.subj_start, subjEnd: r.subj_end, objStart: r.obj_start, objEnd: r.obj_end, subjType: r.subj_type, objType: r.obj_type });
  }
  return out;
}

const examples = loadExamples();
const n = examples.length;
const dim = 128;
let t = performance.now();
const features = examples.map((e) => segmentFeatures(e));
const vocabulary = buildVocabulary(features);
const encoded = encodeWithVocabulary(features, vocabulary, 512);
const rows = randomProjectionEmbedding(encoded, dim, 13, segmentWeights(vocabulary.tokens));
console.log(`${n.toLocaleString()} examples, label-free embedding (dim ${dim}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const recallSample = Number(values['recall-sample'] ?? (n <= 150_000 ? 0 : 2000));
let exact: Awaited<ReturnType<typeof exactCosineTopK>> | null = null;
if (values.exact && recallSample === 0) {
  t = performance.now();
  exact = await exactCosineTopK({ queries: rows, numQueries: n, base: rows, numBase: n, dim, k, excludeSelf: true, providers: ['cpu'] });
  console.log(`exact: ${((performance.now() - t) / 1000).toFixed(2)} s`);
}

/** recall@k over every query against the full exact search (ties with the k-th count as found). */
function fullRecall(res: { indices: Int32Array; similarities: Float32Array }): number {
  let hits = 0;
  for (let q = 0; q < n; q++) {
    const kth = exact!.similarities[q * k + k - 1]!;
    const truth = new Set(exact!.indices.subarray(q * k, (q + 1) * k));
    for (let j = 0; j < k; j++) if (truth.has(res.indices[q * k + j]!) || res.similarities[q * k + j]! >= kth - 1e-5) hits++;
  }
  return hits / (n * k);
}

const session = await TopKSession.create(dim, ['cpu']);
const defaults = defaultIvfParams(n, values.lists ? { nlist: Number(values.lists) } : {});
t = performance.now();
const index = await IvfIndex.build(session, rows, n, dim, defaults);
const buildS = (performance.now() - t) / 1000;
let largest = 0;
for (let c = 0; c < index.params.nlist; c++) largest = Math.max(largest, index.listSize(c));
console.log(`IVF build: nlist ${index.params.nlist}, train sample ${index.params.trainSample}, ${index.params.iterations} iterations, ${buildS.toFixed(2)} s; largest cell ${largest} rows (mean ${Math.round(n / index.params.nlist)})`);

if (!values.probes) {
  // The ranking's own path: nprobe tuned on a sample, recall measured on another.
  const reports: SearchReport[] = [];
  t = performance.now();
  const found = await createNeighbourSearch({ mode: 'approx', providers: ['cpu'], ivf: values.lists ? { nlist: Number(values.lists) } : {}, onReport: (r) => reports.push(r) }).search({ queries: rows, numQueries: n, base: rows, numBase: n, dim, k, excludeSelf: true });
  const r = reports[0]!;
  console.log(`neighbour search (approx, nprobe tuned): ${((performance.now() - t) / 1000).toFixed(2)} s in all (IVF build ${((r.index?.buildMs ?? 0) / 1000).toFixed(2)} s), nlist ${r.index?.nlist}, nprobe ${r.index?.nprobe}, tuning ${JSON.stringify(r.index?.nprobeFrom)}, recall@${k} ${r.recall} on ${r.recallSample} sampled queries${exact ? `, ${fullRecall(found).toFixed(4)} over all queries` : ''}`);
}
for (const nprobe of (values.probes ?? '').split(',').filter(Boolean).map(Number)) {
  (index.params as { nprobe: number }).nprobe = nprobe;
  t = performance.now();
  const res = await index.search(rows, n, { k, excludeSelf: true });
  const searchS = (performance.now() - t) / 1000;
  let recall: number;
  if (exact) {
    recall = fullRecall(res);
  } else {
    recall = (await measureRecall({ queries: rows, numQueries: n, base: rows, numBase: n, dim, k, excludeSelf: true }, res, recallSample, ['cpu'])).recall;
  }
  console.log(`IVF nprobe ${nprobe}: search ${searchS.toFixed(2)} s (build + search ${(buildS + searchS).toFixed(2)} s), recall@${k} ${recall.toFixed(4)}${exact ? ' (all queries)' : ` (sample of ${recallSample})`}, exhaustive fallbacks ${res.exhaustive}`);
}
await session.release();
