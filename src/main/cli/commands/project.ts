import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { WinnowError } from '../../../shared/errors';
import { SplitName } from '../../../shared/names';
import { importSplit } from '../../core/store/import-split';
import { backupProject } from '../../core/store/backup';
import { readLabelNames } from '../../core/io/parquet-source';
import { openDatabase } from '../../core/store/database';
import { projectSummary, readNegativeLabel } from '../../core/store/project-summary';
import { setNegativeLabel } from '../../core/store/negative-label';
import { buildSearchIndex } from '../../core/store/search-index';
import { NegativeLabelName } from '../../../shared/project';
import { progressBar } from '../progress';
import { parseCount, parseOptions, required } from '../shared-options';

/** `winnow import` and `winnow info`: getting data in, and what a project holds. */
export function registerProjectCommands(program: Command): void {
  program
    .command('import')
    .description('import a TACRED JSON / JSON Lines / Parquet file as a split (creates the project if missing)')
    .argument('<project>', 'project file (.winnow)')
    .argument('<file>', 'TACRED-format file')
    .requiredOption('--split <name>', required('split name, e.g. train, dev, test'))
    .addOption(new Option('--format <format>', 'input format').choices(['json', 'jsonl', 'parquet', 'auto']).default('auto'))
    .option('--labels <file>', 'Parquet with class ids in relation: their names, one per line (id = line - 1) or a JSON array')
    .option('--skip-invalid', 'import valid records and write rejected ones to a report', false)
    .option('--report <file>', 'where the rejection report goes (with --skip-invalid)')
    .option('--max-record-mb <n>', 'largest single record accepted, in MiB', parseCount, 64)
    .option('--negative-label <label>', "the project's negative label, chosen at the first import (default: no_relation, or the file's Other / NA)")
    .option('--json', 'print the result as JSON', false)
    .action(async (project: string, file: string, opts: { split: string; format: 'json' | 'jsonl' | 'parquet' | 'auto'; labels?: string; skipInvalid: boolean; report?: string; maxRecordMb: number; negativeLabel?: string; json: boolean }) => {
      const { split, negativeLabel } = parseOptions(z.object({ split: SplitName, negativeLabel: NegativeLabelName.optional() }), { split: opts.split, negativeLabel: opts.negativeLabel });
      const creating = !fs.existsSync(project);
      if (creating && !project.endsWith('.winnow')) throw new WinnowError('INVALID_INPUT', `Project files end in .winnow: ${project}`);
      const db = openDatabase(project, { create: true });
      const bar = progressBar(`import ${split}`, opts.json);
      let ok = false;
      try {
        const labelNames = opts.labels ? await readLabelNames(opts.labels) : undefined;
        const result = await importSplit(db, {
          filePath: file,
          split,
          format: opts.format,
          labelNames,
          skipInvalid: opts.skipInvalid,
          reportPath: opts.report,
          negativeLabel,
          maxRecordBytes: Math.max(1, opts.maxRecordMb) * 1024 * 1024,
          onProgress: (p) => bar.update(p.phase, p.done, p.total),
        });
        bar.stop();
        if (opts.json) console.log(JSON.stringify(result));
        else {
          console.log(`Imported ${result.imported.toLocaleString('en-US')} examples into split "${result.split}" of ${project} (negative label ${result.negativeLabel})`);
          if (result.rejected) console.log(`Rejected ${result.rejected.toLocaleString('en-US')} records; see ${result.reportPath}`);
        }
        ok = true;
      } finally {
        bar.stop();
        db.close();
        // A project created for an import that failed would be an empty leftover.
        if (!ok && creating) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(project + suffix, { force: true });
      }
    });

  program
    .command('backup')
    .description('write a consistent copy of a project to a file (SQLite online backup, written atomically); safe while the app or a job uses the project')
    .argument('<project>', 'project file (.winnow)')
    .argument('<file>', 'the copy to write (never the project itself)')
    .option('--json', 'print the result as JSON', false)
    .action(async (project: string, file: string, opts: { json: boolean }) => {
      const db = openDatabase(project);
      try {
        const result = await backupProject(db, project, file);
        if (opts.json) console.log(JSON.stringify(result));
        else console.log(`Wrote a copy of ${project} to ${result.path} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB)`);
      } finally {
        db.close();
      }
    });

  program
    .command('negative-label')
    .description("show or change a project's negative label (runs ranked with another one are invalidated)")
    .argument('<project>', 'project file (.winnow)')
    .argument('[label]', 'the new negative label (one of the project\'s labels)')
    .option('--json', 'print as JSON', false)
    .action((project: string, label: string | undefined, opts: { json: boolean }) => {
      const db = openDatabase(project);
      try {
        if (label === undefined) {
          const current = readNegativeLabel(db);
          console.log(opts.json ? JSON.stringify({ negativeLabel: current }) : current);
          return;
        }
        const { negativeLabel } = parseOptions(z.object({ negativeLabel: NegativeLabelName }), { negativeLabel: label });
        const change = setNegativeLabel(db, negativeLabel);
        if (opts.json) console.log(JSON.stringify(change));
        else {
          console.log(`Negative label of ${project}: ${change.negativeLabel} (was ${change.previous})`);
          if (change.invalidatedRuns.length) {
            console.log(`Runs ${change.invalidatedRuns.join(', ')} were ranked with another negative label: they are kept but invalidated (rank again)`);
          }
        }
      } finally {
        db.close();
      }
    });

  program
    .command('index')
    .description('build the text search index now (the app builds it in the background after each import)')
    .argument('<project>', 'project file (.winnow)')
    .action((project: string) => {
      const db = openDatabase(project);
      try {
        const started = performance.now();
        const state = buildSearchIndex(db);
        console.log(`Text search index covers ${state.maxId.toLocaleString('en-US')} examples (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      } finally {
        db.close();
      }
    });

  program
    .command('info')
    .description('splits and label counts of a project')
    .argument('<project>', 'project file (.winnow)')
    .option('--json', 'print as JSON', false)
    .action((project: string, opts: { json: boolean }) => {
      const db = openDatabase(project);
      try {
        const summary = projectSummary(db, path.resolve(project));
        if (opts.json) {
          const splits = summary.splits.map((split) => ({
            name: split.name,
            count: split.count,
            format: split.format,
            source: split.sourcePath,
            sha256: split.sourceSha256,
            labels: Object.fromEntries(summary.labelCounts.filter((c) => c.split === split.name).map((c) => [c.label, c.count])),
          }));
          console.log(JSON.stringify({ path: summary.path, schemaVersion: summary.schemaVersion, negativeLabel: summary.negativeLabel, examples: summary.exampleCount, decisions: summary.decisionCount, splits }, null, 2));
          return;
        }
        console.log(`${summary.path}: ${summary.exampleCount.toLocaleString('en-US')} examples, ${summary.decisionCount.toLocaleString('en-US')} decisions`);
        if (!summary.splits.length) console.log('  no splits yet: add one with `winnow import`');
        for (const split of summary.splits) {
          console.log(`  ${split.name}: ${split.count.toLocaleString('en-US')} examples`);
          for (const count of summary.labelCounts.filter((c) => c.split === split.name)) console.log(`    ${count.label}\t${count.count}`);
        }
      } finally {
        db.close();
      }
    });
}
