// The team merge benchmark: 5 annotators each make 10k decisions (single-example batches, as
// keypresses make them, with undos and redos) in their own copy of a project; their logs are
// then merged into the coordinator's copy. Prints the merge time (the target: under 5 s for the
// 50k records), the idempotent re-import and the agreement computation. Part of `npm run bench`;
// alone: `npx tsx scripts/bench/merge.ts`. Benchmarks print; they never assert.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeSyntheticTacredFile } from '../../tools/demo-generator/synthetic-tacred';
import { Rng } from '../../src/main/core/random/seeded-rng';
import { openDatabase } from '../../src/main/core/store/database';
import { exportDecisionLog, importDecisionLog } from '../../src/main/core/store/decision-exchange';
import { applyDecisions, redoLast, undoLast } from '../../src/main/core/store/decisions';
import { importSplit } from '../../src/main/core/store/import-split';
import { agreementReport } from '../../src/main/core/team/agreement';
import { fmt } from './stats';

export interface MergeBenchOptions {
  dir: string;
  annotators?: number;
  decisionsEach?: number;
  examples?: number;
}

export async function benchMerge(options: MergeBenchOptions): Promise<void> {
  const annotators = options.annotators ?? 5;
  const decisionsEach = options.decisionsEach ?? 10_000;
  const examples = options.examples ?? 20_000;
  const base = path.join(options.dir, 'merge-base.winnow');
  const data = path.join(options.dir, 'merge-train.json');
  await writeSyntheticTacredFile(data, { n: examples, seed: 21, format: 'json', withStanford: false, idPrefix: 'mg' });
  const setup = openDatabase(base, { create: true });
  await importSplit(setup, { filePath: data, split: 'train' });
  setup.pragma('wal_checkpoint(TRUNCATE)');
  setup.close();

  const logs: string[] = [];
  let records = 0;
  const started = performance.now();
  for (let a = 0; a < annotators; a++) {
    const name = `annotator-${a + 1}`;
    const copy = path.join(options.dir, `merge-${name}.winnow`);
    fs.copyFileSync(base, copy);
    const db = openDatabase(copy);
    const ids = db.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
    const labels = db.prepare('SELECT name FROM labels ORDER BY id').pluck().all() as string[];
    const rng = new Rng(1000 + a);
    // One outer transaction only to make the setup quicker: each decision is still its own batch.
    db.transaction(() => {
      for (let n = 0; n < decisionsEach; n++) {
        const r = rng.next();
        if (r < 0.03) undoLast(db, name);
        else if (r < 0.04) redoLast(db, name);
        else {
          // Annotators share the first half of the examples, so the merged project has overlap and conflicts.
          const example = ids[rng.int(ids.length / 2)]!;
          const action = (['keep', 'eliminate', 'reannotate'] as const)[rng.int(3)]!;
          applyDecisions(db, { examples: [example], action, label: labels[rng.int(labels.length)], annotator: name });
        }
      }
    })();
    const log = path.join(options.dir, `${name}.jsonl`);
    records += (await exportDecisionLog(db, { outPath: log, annotator: name, appVersion: 'bench', projectName: name })).records;
    db.close();
    logs.push(log);
  }
  console.log(`merge setup: ${annotators} annotators x ${decisionsEach.toLocaleString()} decisions (undos and redos included) on ${examples.toLocaleString()} examples, ${records.toLocaleString()} log records, in ${fmt((performance.now() - started) / 1000, 1)} s`);

  const target = path.join(options.dir, 'merge-coordinator.winnow');
  fs.copyFileSync(base, target);
  const db = openDatabase(target);
  const perLog: number[] = [];
  // CPU time too: on a shared machine the wall time also counts other processes' turns.
  const cpuStart = process.cpuUsage();
  const mergeStart = performance.now();
  for (const log of logs) {
    const t = performance.now();
    await importDecisionLog(db, log);
    perLog.push(performance.now() - t);
  }
  const mergeMs = performance.now() - mergeStart;
  const cpu = process.cpuUsage(cpuStart);
  const mergeCpuMs = (cpu.user + cpu.system) / 1000;
  const againStart = performance.now();
  let again = 0;
  for (const log of logs) again += (await importDecisionLog(db, log)).imported;
  const againMs = performance.now() - againStart;
  const agreementStart = performance.now();
  const agreement = agreementReport(db);
  const agreementMs = performance.now() - agreementStart;
  db.close();
  console.log(
    `merge: ${logs.length} logs, ${records.toLocaleString()} records in ${fmt(mergeMs / 1000, 2)} s wall, ${fmt(mergeCpuMs / 1000, 2)} s CPU (per log ${perLog.map((ms) => fmt(ms / 1000, 2)).join(', ')} s; read, checked and applied in one transaction each); ` +
      `importing them again: ${fmt(againMs / 1000, 2)} s, ${again} records added; agreement over the merged project: ${fmt(agreementMs / 1000, 2)} s (${agreement.pairs.length} pairs, ${agreement.conflicts.length.toLocaleString()} conflicts)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-bench-merge-'));
  try {
    console.log(`Winnow merge benchmark: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`);
    await benchMerge({ dir });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
