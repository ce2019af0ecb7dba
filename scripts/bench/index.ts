// `npm run bench`: figures on a generated 100k-example TACRED-format dataset. Benchmarks
// print; they never assert.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticTacredFile } from '../../src/main/core/demo/synthetic-tacred';
import { ExampleQuery } from '../../src/shared/domain';
import { queryExamples } from '../../src/main/core/store/example-query';
import { openDatabase } from '../../src/main/core/store/database';
import { fmt, median, percentile } from './stats';

const n = Number(process.env.BENCH_N ?? 100_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-bench-'));
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

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
console.log(
  `import: median ${fmt(importMs / 1000, 2)} s over ${runs} runs (${Math.round(n / (importMs / 1000)).toLocaleString()} examples/s; runs ${imports.map((r) => fmt(r.ms / 1000, 2)).join(', ')} s), peak RSS ${fmt(Math.max(...imports.map((r) => r.maxRssMb)), 0)} MB`,
);

// Grid page fetch: 100 rows, the queries a user makes while browsing.
const db = openDatabase(path.join(dir, 'import-0.winnow'));
const labels = db.prepare('SELECT name FROM labels ORDER BY id').pluck().all() as string[];
const queries: [string, ExampleQuery][] = [
  ['first page, file order', {}],
  ['sorted by label, deep page', { sort: [{ column: 'label', direction: 'asc' }], offset: Math.floor(n / 2) }],
  ['filter label=no_relation, sorted by id desc', { filter: { labels: ['no_relation'] }, sort: [{ column: 'id', direction: 'desc' }] }],
  ['filter positive label + subject type', { filter: { labels: [labels.find((l) => l !== 'no_relation')!], subjTypes: ['PERSON'] }, sort: [{ column: 'length', direction: 'desc' }] }],
  ['text search "born", sorted by label', { filter: { text: 'born' }, sort: [{ column: 'label', direction: 'asc' }] }],
];
const all: number[] = [];
for (const [name, query] of queries) {
  const parsed = ExampleQuery.parse(query) as Parameters<typeof queryExamples>[1];
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    queryExamples(db, { ...parsed, offset: parsed.offset + (i % 5) * 100 });
    times.push(performance.now() - start);
  }
  all.push(...times);
  console.log(`page fetch (${name}): p50 ${fmt(percentile(times, 50), 2)} ms, p95 ${fmt(percentile(times, 95), 2)} ms`);
}
console.log(`page fetch, all queries: p50 ${fmt(percentile(all, 50), 2)} ms, p95 ${fmt(percentile(all, 95), 2)} ms`);
db.close();
fs.rmSync(dir, { recursive: true, force: true });
