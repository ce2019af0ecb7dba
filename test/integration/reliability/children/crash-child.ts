/**
 * Runs one long operation against a project so that the crash tests can SIGKILL it at an
 * exact point. Every line it prints is a marker; "ack <n> <batch> <count>" is printed only
 * after `applyDecisions` (or undo) has returned, and "done" at the very end.
 *
 * With `pause` in the config the child freezes (a synchronous wait, so no other code of it
 * runs) at a chosen point and prints "paused"; the parent then kills it there. The point is
 * the `occurrence`-th line starting with `marker`, optionally followed by `afterRuns` more
 * SQL statement executions (to stop inside a transaction). Imports report progress right
 * after a batch commits, and a ranking's save prints "saved <n>" after each batch, so those
 * markers stop the child between two batches. Renames are markers too
 * ("renamed <file name>"), so an export can be stopped between any two of its renames.
 *
 *   tsx crash-child.ts <mode> '<json config>'
 */
import fs from 'node:fs';
import path from 'node:path';
import { exportDataset } from '../../../../src/main/core/export/export-modes';
import { importSplit } from '../../../../src/main/core/store/import-split';
import { rankProject } from '../../../../src/main/core/ranking/rank-project';
import { openDatabase, type Db } from '../../../../src/main/core/store/database';
import { applyDecisions, undoLast } from '../../../../src/main/core/store/decisions';
import { importDecisionLog } from '../../../../src/main/core/store/decision-exchange';
import { mulberry32 } from '../../../helpers/seeded';

export interface PausePoint {
  marker: string;
  occurrence?: number;
  afterRuns?: number;
}

const [mode, configText] = process.argv.slice(2);
const config = JSON.parse(configText ?? '{}') as Record<string, unknown>;
const pause = config.pause as PausePoint | undefined;

function freeze(): never {
  process.stdout.write('paused\n');
  // Blocks this thread outright: nothing after the chosen point runs before the kill.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

let markerSeen = 0;
let runsLeft: number | null = null;
// Writes to a pipe are synchronous on Linux: once the parent reads a line, it was written.
function say(line: string): void {
  process.stdout.write(`${line}\n`);
  if (pause && line.startsWith(pause.marker) && ++markerSeen === (pause.occurrence ?? 1)) {
    if (pause.afterRuns) runsLeft = pause.afterRuns;
    else freeze();
  }
}

/** Counts statement executions so that `afterRuns` can stop the child mid-transaction. */
function countStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const run = statement.run.bind(statement);
    statement.run = ((...args: unknown[]) => {
      const result = run(...args);
      if (runsLeft !== null && --runsLeft === 0) freeze();
      return result;
    }) as typeof statement.run;
    return statement;
  }) as typeof db.prepare;
}

const rename = fs.renameSync;
fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
  rename(from, to);
  say(`renamed ${path.basename(String(to))}`);
};

say(`pid ${process.pid}`);
const db = openDatabase(String(config.project));
countStatements(db);
say('start');

switch (mode) {
  case 'import': {
    await importSplit(db, {
      filePath: String(config.file),
      split: String(config.split),
      onProgress: (p) => say(`progress ${p.phase} ${p.done}`),
    });
    break;
  }
  case 'rank': {
    let phase = '';
    await rankProject(db, config.options as Parameters<typeof rankProject>[1], {
      onProgress: (p, done) => {
        if (p !== phase) say(`phase ${p}`);
        // Saving reports once per committed batch: a kill there lands between two batches.
        else if (p === 'saving') say(`saved ${done}`);
        phase = p;
      },
    });
    break;
  }
  case 'decide': {
    const random = mulberry32(Number(config.seed));
    const ids = db.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
    const labels = db.prepare('SELECT name FROM labels ORDER BY id').pluck().all() as string[];
    for (let n = 1; n <= Number(config.count); n++) {
      const r = random();
      let result: { batchId: string | null; count: number };
      if (r < 0.05) result = undoLast(db, 'crash-test');
      else {
        const size = 1 + Math.floor(random() * 3);
        const examples = Array.from({ length: size }, () => ids[Math.floor(random() * ids.length)]!);
        const action = (['keep', 'eliminate', 'reannotate'] as const)[Math.floor(random() * 3)]!;
        result = applyDecisions(db, { examples, action, label: labels[Math.floor(random() * labels.length)], annotator: 'crash-test' });
      }
      say(`ack ${n} ${result.batchId ?? '-'} ${result.count}`);
    }
    break;
  }
  case 'import-decisions': {
    const result = await importDecisionLog(db, String(config.file));
    say(`imported ${result.imported}`);
    break;
  }
  case 'export': {
    await exportDataset(db, {
      ...(config.options as Parameters<typeof exportDataset>[1]),
      onProgress: (p) => say(`progress ${p.phase} ${p.done}`),
    });
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
db.close();
say('done');
