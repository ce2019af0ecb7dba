// `npm run bench`: figures on a generated 100k-example TACRED-format dataset. Benchmarks
// print; they never assert.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticTacredFile } from '../../tools/demo-generator/synthetic-tacred';
import { ExampleQuery } from '../../src/shared/domain';
import { CountCache, queryExamples } from '../../src/main/core/store/example-query';
import { exportDataset } from '../../src/main/core/export/export-modes';
import { importSplit } from '../../src/main/core/store/import-split';
import { applyDecisions, undoLast } from '../../src/main/core/store/decisions';
import { openDatabase } from '../../src/main/core/store/database';
import { buildSearchIndex } from '../../src/main/core/store/search-index';
import { fmt, median, percentile } from './stats';
import { benchMerge } from './merge';

const n = Number(process.env.BENCH_N ?? 100_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-bench-'));
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
/** Every figure, keyed by name, for BENCH_JSON (scripts/bench/compare.ts reads these). */
const figures: Record<string, number | string> = { n };
const record = (name: string, value: number | string) => {
  figures[name] = typeof value === 'number' ? Math.round(value * 1000) / 1000 : value;
};

console.log(`Winnow benchmarks: ${n.toLocaleString()} examples, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`);

const file = path.join(dir, 'train.json');
let t = performance.now();
const written = await writeSyntheticTacredFile(file, { n, seed: 7, format: 'json', withStanford: true });
console.log(`generate: ${written.count.toLocaleString()} records, ${fmt(written.bytes / 2 ** 20)} MiB in ${fmt((performance.now() - t) / 1000, 2)} s`);

// Import: each run in a fresh child process and a fresh project.
const imports: { ms: number; maxRssMb: number }[] = [];
for (let run = 0; run < runs; run++) {
  const project = path.join(dir, `import-${run}.winnow`);
  const out = execFileSync(tsx, [path.join(import.meta.dirname, 'import-child.ts'), project, file], { encoding: 'utf8' });
  imports.push(JSON.parse(out) as { ms: number; maxRssMb: number });
}
const importMs = median(imports.map((r) => r.ms));
record('import s', importMs / 1000);
record('import peak RSS MB', Math.max(...imports.map((r) => r.maxRssMb)));
console.log(
  `import: median ${fmt(importMs / 1000, 2)} s over ${runs} runs (${Math.round(n / (importMs / 1000)).toLocaleString()} examples/s; runs ${imports.map((r) => fmt(r.ms / 1000, 2)).join(', ')} s), peak RSS ${fmt(Math.max(...imports.map((r) => r.maxRssMb)), 0)} MB`,
);

// Grid page fetch: 100 rows, the queries a user makes while browsing.
const db = openDatabase(path.join(dir, 'import-0.winnow'));
// The text search before its index exists (the app builds it at idle time after an import).
{
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    queryExamples(db, ExampleQuery.parse({ filter: { text: 'born' }, sort: [{ column: 'label', direction: 'asc' }] }) as Parameters<typeof queryExamples>[1], new CountCache());
    cold.push(performance.now() - start);
  }
  record('text search first page, no index, p95 ms', percentile(cold, 95));
  console.log(`text search "born" before the index is built (LIKE scan): first page p50 ${fmt(percentile(cold, 50), 2)} ms, p95 ${fmt(percentile(cold, 95), 2)} ms`);
  const start = performance.now();
  const state = buildSearchIndex(db);
  const indexS = (performance.now() - start) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const indexMb = (db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'example_search%'").pluck().get() as number | null) ?? NaN;
  record('search index build s', indexS);
  console.log(`search index build (idle-time, after import; ${state.maxId.toLocaleString()} examples in batches of 2000): ${fmt(indexS, 2)} s, ${fmt(indexMb / 2 ** 20)} MiB`);
}
const labels = db.prepare('SELECT name FROM labels ORDER BY id').pluck().all() as string[];
const queries: [string, ExampleQuery][] = [
  ['first page, file order', {}],
  ['sorted by label, deep page', { sort: [{ column: 'label', direction: 'asc' }], offset: Math.floor(n / 2) }],
  ['filter label=no_relation, sorted by id desc', { filter: { labels: ['no_relation'] }, sort: [{ column: 'id', direction: 'desc' }] }],
  ['filter positive label + subject type', { filter: { labels: [labels.find((l) => l !== 'no_relation')!], subjTypes: ['PERSON'] }, sort: [{ column: 'length', direction: 'desc' }] }],
  ['sorted by length desc, page at 3n/10', { sort: [{ column: 'length', direction: 'desc' }], offset: Math.floor((3 * n) / 10) }],
  ['sorted by subject type, page at 3n/10', { sort: [{ column: 'subjType', direction: 'asc' }], offset: Math.floor((3 * n) / 10) }],
  ['split train, sorted by split desc, page at n/2', { filter: { splits: ['train'] }, sort: [{ column: 'split', direction: 'desc' }], offset: Math.floor(n / 2) }],
  ['text search "born", sorted by label', { filter: { text: 'born' }, sort: [{ column: 'label', direction: 'asc' }] }],
  ['text search "Motors", file order', { filter: { text: 'Motors' } }],
];
const all: number[] = [];
const allCold: number[] = [];
for (const [name, query] of queries) {
  const parsed = ExampleQuery.parse(query) as Parameters<typeof queryExamples>[1];
  // Warm: the grid scrolling through one filter (the total is cached per filter, as the app does).
  const cache = new CountCache();
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    queryExamples(db, { ...parsed, offset: parsed.offset + (i % 5) * 100 }, cache);
    times.push(performance.now() - start);
  }
  // Cold: the first page of a filter just chosen (page plus total).
  const cold: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    queryExamples(db, parsed, new CountCache());
    cold.push(performance.now() - start);
  }
  all.push(...times);
  allCold.push(...cold);
  record(`page ${name}, scrolling p95 ms`, percentile(times, 95));
  record(`page ${name}, first page p95 ms`, percentile(cold, 95));
  console.log(`page fetch (${name}): scrolling p50 ${fmt(percentile(times, 50), 2)} ms, p95 ${fmt(percentile(times, 95), 2)} ms; first page p50 ${fmt(percentile(cold, 50), 2)} ms, p95 ${fmt(percentile(cold, 95), 2)} ms`);
}
// Sorting by sentence has no index (one would hold every sentence again): each page sorts
// every example. Measured apart, three times, and left out of the totals above.
{
  const parsed = ExampleQuery.parse({ sort: [{ column: 'sentence', direction: 'asc' }], offset: Math.floor((3 * n) / 10) }) as Parameters<typeof queryExamples>[1];
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    queryExamples(db, parsed, new CountCache());
    times.push(performance.now() - start);
  }
  record('page sorted by sentence (no index), median ms', median(times));
  console.log(`page fetch (sorted by sentence, page at 3n/10; no index, each page sorts every example): median ${fmt(median(times), 1)} ms`);
}
record('page all queries, first page p95 ms', percentile(allCold, 95));
record('page all queries, scrolling p95 ms', percentile(all, 95));
console.log(`page fetch, all queries, first page: p50 ${fmt(percentile(allCold, 50), 2)} ms, p95 ${fmt(percentile(allCold, 95), 2)} ms`);
console.log(`page fetch, all queries, scrolling: p50 ${fmt(percentile(all, 50), 2)} ms, p95 ${fmt(percentile(all, 95), 2)} ms`);
db.close();

// Decisions: one keypress = one appended decision, then the grid's page refetch.
{
  const decideDb = openDatabase(path.join(dir, 'import-0.winnow'));
  const rows = decideDb.prepare('SELECT id FROM examples ORDER BY random() LIMIT 600').pluck().all() as number[];
  const write: number[] = [];
  const roundTrip: number[] = [];
  const cache = new CountCache();
  const actions = ['keep', 'eliminate', 'reannotate'] as const;
  rows.forEach((row, i) => {
    const start = performance.now();
    applyDecisions(decideDb, { examples: [row], action: actions[i % 3]!, label: 'per:title', annotator: 'bench' });
    write.push(performance.now() - start);
    cache.decisionsChanged(); // as the app does after a decision
    queryExamples(decideDb, ExampleQuery.parse({ filter: { decision: 'undecided' } }) as Parameters<typeof queryExamples>[1], cache);
    roundTrip.push(performance.now() - start);
  });
  const undo: number[] = [];
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    undoLast(decideDb, 'bench');
    undo.push(performance.now() - start);
  }
  decideDb.close();
  console.log(
    `decision write: p50 ${fmt(percentile(write, 50), 2)} ms, p95 ${fmt(percentile(write, 95), 2)} ms; write + page refetch (filter undecided): p50 ${fmt(percentile(roundTrip, 50), 2)} ms, p95 ${fmt(percentile(roundTrip, 95), 2)} ms; undo p95 ${fmt(percentile(undo, 95), 2)} ms (${rows.length} decisions on ${n.toLocaleString()} examples)`,
  );
}

// Export of the whole split.
{
  const exportDb = openDatabase(path.join(dir, 'import-0.winnow'));
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    // The app's and the CLI's export path: data file, manifest and decisions CSV.
    await exportDataset(exportDb, { split: 'train', mode: 'reviewed', apply: 'both', outPath: path.join(dir, `export-${run}.json`), format: 'json', appVersion: 'bench' });
    times.push(performance.now() - start);
  }
  exportDb.close();
  record('export s', median(times) / 1000);
  console.log(`export: median ${fmt(median(times) / 1000, 2)} s for ${n.toLocaleString()} examples (runs ${times.map((t) => fmt(t / 1000, 2)).join(', ')} s)`);
}

// Decisions while a 100k import runs in a job worker (latency through dispatch, as the app).
if (!process.env.BENCH_SKIP_BUSY) {
  console.log(execFileSync(tsx, [path.join(import.meta.dirname, 'decisions-during-import.ts'), '--n', String(n)], { encoding: 'utf8' }).trim());
}

// Parquet: the split exported as Parquet, then that file imported into a fresh project.
if (!process.env.BENCH_SKIP_PARQUET) {
  const exportDb = openDatabase(path.join(dir, 'import-0.winnow'));
  const parquetFile = path.join(dir, 'train.parquet');
  let start = performance.now();
  await exportDataset(exportDb, { split: 'train', mode: 'original', apply: 'both', outPath: parquetFile, format: 'parquet', appVersion: 'bench' });
  const exportS = (performance.now() - start) / 1000;
  exportDb.close();
  start = performance.now();
  const out = JSON.parse(execFileSync(tsx, [path.join(import.meta.dirname, 'import-child.ts'), path.join(dir, 'parquet.winnow'), parquetFile, 'parquet'], { encoding: 'utf8' })) as { ms: number; maxRssMb: number };
  record('parquet export s', exportS);
  record('parquet import s', out.ms / 1000);
  record('parquet import peak RSS MB', out.maxRssMb);
  console.log(`parquet: export ${fmt(exportS, 2)} s (${fmt(fs.statSync(parquetFile).size / 2 ** 20)} MiB, snappy); import ${fmt(out.ms / 1000, 2)} s, peak RSS ${fmt(out.maxRssMb, 0)} MB`);
  fs.rmSync(path.join(dir, 'parquet.winnow'), { force: true });
}

// Whole ranking: built-in model (5 folds + full), inference on ONNX Runtime, IS, ES, ESP, CL,
// KNN, saving. 90% noisy train + 10% clean dev as ES's clean set.
if (!process.env.BENCH_SKIP_RANK) {
  const rankProjectPath = path.join(dir, 'rank.winnow');
  const trainFile = path.join(dir, 'rank-train.json');
  const devFile = path.join(dir, 'rank-dev.json');
  await writeSyntheticTacredFile(trainFile, { n: Math.round(n * 0.9), seed: 11, format: 'json', withStanford: false, idPrefix: 'tr' });
  await writeSyntheticTacredFile(devFile, { n: Math.round(n * 0.1), seed: 12, format: 'json', withStanford: false, idPrefix: 'dv', noise: { falseNegativeRate: 0, randomRate: 0 } });
  const rankDb = openDatabase(rankProjectPath, { create: true });
  await importSplit(rankDb, { filePath: trainFile, split: 'train' });
  await importSplit(rankDb, { filePath: devFile, split: 'dev' });
  rankDb.close();
  const rankRuns = Number(process.env.BENCH_RANK_RUNS ?? runs);
  const results: { ms: number; maxRssMb: number; summary: { provider: string; queue: number; flags: Record<string, number>; timings: Record<string, number>; neighbourSearch: Record<string, { method: string; recall: number; recallSample: number; ms: number; index?: { nlist: number; nprobe: number; buildMs: number } }> } }[] = [];
  for (let run = 0; run < rankRuns; run++) {
    // Each run ranks a fresh copy, so runs do not pile up in one project.
    const copy = path.join(dir, `rank-${run}.winnow`);
    fs.copyFileSync(rankProjectPath, copy);
    const out = execFileSync(tsx, [path.join(import.meta.dirname, 'rank-child.ts'), copy], { encoding: 'utf8', maxBuffer: 1 << 24 });
    results.push(JSON.parse(out) as (typeof results)[number]);
    fs.rmSync(copy, { force: true });
  }
  const phases = Object.keys(results[0]!.summary.timings);
  const med = (phase: string) => median(results.map((r) => r.summary.timings[phase] ?? 0));
  console.log(
    `rank (${n.toLocaleString()} examples, is+es+esp+cl+knn, k=3, 5 folds, probability fit ${process.env.BENCH_PROBABILITY_FIT ?? 'auto'}), median of ${rankRuns}: ${fmt(median(results.map((r) => r.ms)) / 1000, 1)} s on ${results[0]!.summary.provider} (runs ${results.map((r) => fmt(r.ms / 1000, 1)).join(', ')} s), peak RSS ${fmt(Math.max(...results.map((r) => r.maxRssMb)), 0)} MB; ` +
      phases.map((phase) => `${phase} ${fmt(med(phase) / 1000, 2)} s`).join(', '),
  );
  record('rank s', median(results.map((r) => r.ms)) / 1000);
  record('rank peak RSS MB', Math.max(...results.map((r) => r.maxRssMb)));
  for (const phase of phases) record(`rank ${phase} s`, med(phase) / 1000);
  for (const [strategy, search] of Object.entries(results[0]!.summary.neighbourSearch)) {
    record(`rank ${strategy} neighbours`, `${search.method}${search.index ? ` (nlist ${search.index.nlist}, nprobe ${search.index.nprobe})` : ''}`);
    if (search.method === 'approx') record(`rank ${strategy} recall@3`, search.recall);
    console.log(`rank ${strategy.toUpperCase()} neighbours: ${search.method}${search.index ? `, IVF nlist ${search.index.nlist}, nprobe ${search.index.nprobe}, build ${fmt(search.index.buildMs / 1000, 2)} s` : ''}, ${fmt(search.ms / 1000, 2)} s${search.method === 'approx' ? `, recall@3 ${search.recall} on ${search.recallSample} sampled queries` : ''}`);
  }
  console.log(`rank flags: ${Object.entries(results[0]!.summary.flags).map(([k, v]) => `${k} ${v}`).join(', ')}; queue ${results[0]!.summary.queue}`);
  console.log(`inference throughput (built-in model, cpu): ${Math.round((n * 2) / (med('inference') / 1000)).toLocaleString()} examples/s (out-of-fold pass + full-model pass)`);
}

// Confident learning alone, 100k x 42, and the exact kNN against the machine's MatMul peak
// (exact only up to 200k: past that it is the quadratic wall the index removes).
if (!process.env.BENCH_SKIP_PARTS) {
  console.log(execFileSync(tsx, [path.join(root, 'scripts', 'bench-cl.ts'), '--n', String(n), '--runs', '5'], { encoding: 'utf8' }).trim());
  if (n <= 200_000) console.log(execFileSync(tsx, [path.join(root, 'scripts', 'bench-knn.ts'), '--sizes', String(n), '--dims', '128'], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim());
}
// Team: merging 5 annotators' logs of 10k decisions each (a separate figure; its own project).
if (!process.env.BENCH_SKIP_MERGE) await benchMerge({ dir });
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(figures, null, 2)}\n`);
fs.rmSync(dir, { recursive: true, force: true });
