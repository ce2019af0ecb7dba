/**
 * Runs one long operation against a project so that the crash tests can SIGKILL it at a
 * random point. Every line it prints is a marker the parent may kill on; "ack <n> <batch>
 * <count>" is printed only after `applyDecisions` (or undo) has returned, and "done" at the
 * very end.
 *
 *   tsx crash-child.ts <mode> '<json config>'
 */
import fs from 'node:fs';
import path from 'node:path';
import { exportDataset } from '../../../../src/main/core/export/export-modes';
import { importSplit } from '../../../../src/main/core/io/import-split';
import { rankProject } from '../../../../src/main/core/ranking/rank-project';
import { openDatabase } from '../../../../src/main/core/store/database';
import { applyDecisions, undoLast } from '../../../../src/main/core/store/decisions';
import { rng } from '../support';

const [mode, configText] = process.argv.slice(2);
const config = JSON.parse(configText ?? '{}') as Record<string, unknown>;
// Writes to a pipe are synchronous on Linux: once the parent reads a line, it was written.
const say = (line: string) => process.stdout.write(`${line}\n`);

const db = openDatabase(String(config.project));
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
      onProgress: (p) => {
        if (p !== phase) say(`phase ${p}`);
        phase = p;
      },
    });
    break;
  }
  case 'decide': {
    const random = rng(Number(config.seed));
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
  case 'export': {
    // With `pauseAfterRename`, the child announces each rename of the commit and stops after
    // the named file, so the parent can kill it exactly between two renames.
    const pauseAfter = config.pauseAfterRename as string | undefined;
    if (pauseAfter) {
      const rename = fs.promises.rename;
      fs.promises.rename = async (from: fs.PathLike, to: fs.PathLike) => {
        await rename(from, to);
        say(`renamed ${path.basename(String(to))}`);
        if (path.basename(String(to)) === pauseAfter) await new Promise((resolve) => setTimeout(resolve, 60_000));
      };
    }
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
