// Side by side: the figures of several `BENCH_JSON=… npm run bench` runs at different BENCH_N,
// with the growth exponent of each timing between consecutive sizes (log(t2/t1) / log(n2/n1):
// 1 is linear, n log n reads as about 1.05-1.1 over 3x steps of 100k-1M, 2 is quadratic).
//
//   npx tsx scripts/bench/compare.ts bench-100k.json bench-300k.json bench-1m.json
import fs from 'node:fs';

const runs = process.argv.slice(2).map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number | string>);
if (runs.length < 2) {
  console.error('usage: compare.ts <bench.json> <bench.json> [...]  (files written with BENCH_JSON)');
  process.exit(2);
}
runs.sort((a, b) => Number(a.n) - Number(b.n));
const sizes = runs.map((r) => Number(r.n));
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const names = [...new Set(runs.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'n');
const header = ['figure', ...sizes.map(label), ...sizes.slice(1).map((n, i) => `exp ${label(sizes[i]!)}→${label(n)}`)];
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
for (const name of names) {
  const values = runs.map((r) => r[name]);
  const cells = values.map((v) => (v === undefined ? '' : typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : v));
  // Exponents mean something for times and memory, not for recall or labels.
  const growing = /\b(s|ms|MB)\b/.test(name) && !/recall/.test(name);
  const exps = sizes.slice(1).map((n, i) => {
    const a = values[i];
    const b = values[i + 1];
    if (!growing || typeof a !== 'number' || typeof b !== 'number' || a <= 0 || b <= 0) return '';
    return (Math.log(b / a) / Math.log(n / sizes[i]!)).toFixed(2);
  });
  console.log(`| ${[name, ...cells, ...exps].join(' | ')} |`);
}
