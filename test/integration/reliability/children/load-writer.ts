/**
 * A second writer for the store-under-load tests, in its own process with its own
 * connection, as a job worker has.
 *
 *   tsx load-writer.ts decide '{"project", "count", "annotator", "stride", "offset", "pauseMs"}'
 *     `count` single-example applyDecisions calls; example k is ids[(offset + k * stride) % n];
 *     with pauseMs, that long a wait after each (the lock free between decisions, as a person's).
 *   tsx load-writer.ts job '{"project", "imports": [{file, split}], "predictions"}'
 *     imports each split, then ranks all splits with the predictions file (a job's writes).
 *
 * Prints "start" once the connection is open, "error <code> <message>" for every failed call
 * (and carries on), and "done <ok> <errors>" at the end.
 */
import { importSplit } from '../../../../src/main/core/store/import-split';
import { rankProject } from '../../../../src/main/core/ranking/rank-project';
import { openDatabase } from '../../../../src/main/core/store/database';
import { applyDecisions } from '../../../../src/main/core/store/decisions';

const [mode, configText] = process.argv.slice(2);
const config = JSON.parse(configText ?? '{}') as Record<string, unknown>;
const say = (line: string) => process.stdout.write(`${line}\n`);
const db = openDatabase(String(config.project));
say('start');
let ok = 0;
let errors = 0;
const report = (error: unknown) => {
  errors++;
  say(`error ${(error as { code?: string }).code ?? 'none'} ${(error as Error).message.replace(/\n/g, ' ')}`);
};

if (mode === 'decide') {
  const ids = db.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
  const stride = Number(config.stride ?? 1);
  const offset = Number(config.offset ?? 0);
  const pauseMs = Number(config.pauseMs ?? 0);
  for (let k = 0; k < Number(config.count); k++) {
    try {
      applyDecisions(db, { examples: [ids[(offset + k * stride) % ids.length]!], action: k % 2 ? 'keep' : 'eliminate', annotator: String(config.annotator) });
      ok++;
    } catch (error) {
      report(error);
    }
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
} else if (mode === 'job') {
  for (const { file, split } of config.imports as { file: string; split: string }[]) {
    try {
      await importSplit(db, { filePath: file, split });
      ok++;
    } catch (error) {
      report(error);
    }
  }
  try {
    await rankProject(db, { model: { kind: 'predictions', file: String(config.predictions) }, strategies: ['cl', 'knn'] });
    ok++;
  } catch (error) {
    report(error);
  }
} else throw new Error(`unknown mode ${mode}`);
db.close();
say(`done ${ok} ${errors}`);
