// `npm run bench` part (also runnable alone): decision latency while a 100k-record import
// runs in a job worker, as the app and `winnow serve` run it. Decisions go through the same
// dispatch as IPC and HTTP, one every ~20 ms like a user at the keyboard, on a project that
// already holds 100k examples. Prints; never asserts.
//
//   tsx scripts/bench/decisions-during-import.ts [--n 100000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeSyntheticTacredFile } from '../../tools/demo-generator/synthetic-tacred';
import { dispatch } from '../../src/main/core/app/dispatch';
import { WinnowCore } from '../../src/main/core/app/winnow-core';
import { LocalPlatform } from '../../src/main/core/platform/local-platform';
import { openDatabase } from '../../src/main/core/store/database';
import { importSplit } from '../../src/main/core/store/import-split';
import { fmt, percentile } from './stats';

const nArg = process.argv.indexOf('--n');
const n = nArg > 0 ? Number(process.argv[nArg + 1]) : Number(process.env.BENCH_N ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-bench-busy-'));
try {
  const existing = path.join(dir, 'train.json');
  const incoming = path.join(dir, 'incoming.json');
  await writeSyntheticTacredFile(existing, { n, seed: 7, format: 'json', withStanford: true, idPrefix: 'tr' });
  await writeSyntheticTacredFile(incoming, { n, seed: 8, format: 'json', withStanford: true, idPrefix: 'in' });
  const project = path.join(dir, 'busy.winnow');
  const setup = openDatabase(project, { create: true });
  await importSplit(setup, { filePath: existing, split: 'train' });
  const rows = setup.prepare('SELECT ext_id FROM examples ORDER BY random() LIMIT 2000').pluck().all() as string[];
  setup.close();

  const platform = new LocalPlatform({ version: 'bench', platform: process.platform }, null);
  const core = new WinnowCore({
    dataDir: path.join(dir, 'data'),
    jobs: { mode: 'worker', workerUrl: new URL('../ts-job-worker.mjs', import.meta.url) },
    platform,
    emit: () => undefined,
  });
  const handlers = core.handlers();
  core.openProject(project);
  await dispatch(handlers, 'settings:set', { ...core.settings.get(), annotator: 'bench' });

  const started = performance.now();
  const { token } = platform.capabilities.grant(incoming, 'read-file');
  const start = await dispatch(handlers, 'import:start', { file: token, split: 'incoming', format: 'json' });
  if (!start.ok) throw new Error(start.error.message);
  const jobId = (start.value as { jobId: string }).jobId;
  const job = core.jobs.wait(jobId);
  let running = true;
  void job.then(() => (running = false));

  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const latencies: number[] = [];
  const currentLatencies: number[] = [];
  let failures = 0;
  let i = 0;
  while (running) {
    const t = performance.now();
    const result = await dispatch(handlers, 'decisions:apply', { target: { ids: [rows[i % rows.length]!] }, action: (['keep', 'eliminate'] as const)[i % 2] });
    const ms = performance.now() - t;
    // Only decisions made while the import was still running count.
    if (running) {
      if (result.ok) latencies.push(ms);
      else failures++;
    }
    if (i % 10 === 0 && running) {
      const c = performance.now();
      await dispatch(handlers, 'project:current', {});
      currentLatencies.push(performance.now() - c);
    }
    i++;
    await sleep(20);
  }
  lag.disable();
  const finished = await job;
  const importSeconds = (performance.now() - started) / 1000;
  core.closeProject();
  console.log(
    `decisions during a ${n.toLocaleString()}-record import (worker; project holds ${n.toLocaleString()} examples): ${latencies.length} decisions, ` +
      `p50 ${fmt(percentile(latencies, 50), 2)} ms, p95 ${fmt(percentile(latencies, 95), 2)} ms, max ${fmt(Math.max(...latencies), 1)} ms, ${failures} failed; ` +
      `project:current p95 ${fmt(percentile(currentLatencies, 95), 1)} ms; event-loop delay p99 ${fmt(lag.percentile(99) / 1e6, 1)} ms; ` +
      `import ${finished?.status} in ${fmt(importSeconds, 2)} s`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
