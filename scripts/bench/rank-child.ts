// Child process of the ranking benchmark: one whole `rank` with all five strategies on a
// generated dataset (noisy train + clean dev as ES's clean set), so its peak RSS is its own.
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { openDatabase } from '../../src/main/core/store/database';

const [projectPath] = process.argv.slice(2) as [string];
const db = openDatabase(projectPath);
const phases: { phase: string; at: number }[] = [];
const started = performance.now();
let last = '';
const summary = await rankProject(
  db,
  // BENCH_PROBABILITY_FIT=cleaned measures the second cross-fit where `auto` leaves it out (past 500,000 examples).
  { strategies: ['is', 'es', 'esp', 'cl', 'knn'], clean: { kind: 'split', name: 'dev' }, ...(process.env.BENCH_PROBABILITY_FIT ? { probabilityFit: process.env.BENCH_PROBABILITY_FIT as 'auto' | 'cleaned' | 'all' } : {}) },
  {
    onProgress: (phase) => {
      const name = phase.replace(/:.*$/, '');
      if (name !== last) phases.push({ phase: name, at: performance.now() - started });
      last = name;
    },
  },
);
const ms = performance.now() - started;
db.close();
process.stdout.write(JSON.stringify({ ms, summary, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
