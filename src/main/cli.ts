import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { WinnowError } from '../shared/errors';
import { appRoot, defaultDataDir } from './core/app/paths';
import { runExportCli, runReportCli } from './core/export/cli-export';
import { importSplit } from './core/io/import-split';
import { openDatabase } from './core/store/database';
import { projectSummary } from './core/store/project-summary';
import { serve } from './core/server/serve';
import { evaluateRun } from './core/ranking/evaluate';
import { parseCleanSpec, StrategyName, type RankOptionsInput } from './core/ranking/rank-options';
import { rankProject } from './core/ranking/rank-project';
import { iterateFlags, listRuns, resolveRunId } from './core/ranking/run-queries';
import { importReferenceSet, listReferenceSets } from './core/store/reference-sets';
import { applyDecisions, iterateDecisions, redoLast, undoLast } from './core/store/decisions';
import { SettingsStore } from './core/app/settings-store';
import { aboutWinnow, asksVersionJson } from './core/app/about';
import packageJson from '../../package.json';

/** `winnow`: the command-line face of the same core the app uses. */

// `winnow flags … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

function progressLine(label: string) {
  if (!process.stderr.isTTY) return undefined;
  return ({ done, total, phase }: { done: number; total: number; phase: string }) => {
    const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
    process.stderr.write(`\r${label}: ${phase} ${pct}%   `);
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is an integer 0-65535');
  return port;
}

const program = new Command('winnow')
  .description('Find and fix label noise in TACRED-style relation-classification datasets')
  .version(packageJson.version)
  .showHelpAfterError();

program
  .command('import')
  .description('import a TACRED JSON / JSON Lines file as a split (creates the project if missing)')
  .argument('<project>', 'project file (.winnow)')
  .argument('<file>', 'TACRED-format file')
  .requiredOption('--split <name>', 'split name, e.g. train, dev, test')
  .addOption(new Option('--format <format>', 'input format').choices(['json', 'jsonl', 'auto']).default('auto'))
  .option('--skip-invalid', 'import valid records and write rejected ones to a report', false)
  .option('--report <file>', 'where the rejection report goes (with --skip-invalid)')
  .option('--json', 'print the result as JSON', false)
  .action(async (project: string, file: string, opts: { split: string; format: 'json' | 'jsonl' | 'auto'; skipInvalid: boolean; report?: string; json: boolean }) => {
    const creating = !fs.existsSync(project);
    if (creating && !project.endsWith('.winnow')) throw new WinnowError('INVALID_INPUT', `Project files end in .winnow: ${project}`);
    const db = openDatabase(project, { create: true });
    let ok = false;
    try {
      const result = await importSplit(db, {
        filePath: file,
        split: opts.split,
        format: opts.format,
        skipInvalid: opts.skipInvalid,
        reportPath: opts.report,
        onProgress: progressLine(`import ${opts.split}`),
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (opts.json) console.log(JSON.stringify(result));
      else {
        console.log(`Imported ${result.imported} examples into split "${result.split}" of ${project}`);
        if (result.rejected) console.log(`Rejected ${result.rejected} records; see ${result.reportPath}`);
      }
      ok = true;
    } finally {
      db.close();
      // A project created for an import that failed would be an empty leftover.
      if (!ok && creating) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(project + suffix, { force: true });
    }
  });

program
  .command('export')
  .description('write a split: as imported (original), with the human decisions (reviewed), or with a run\'s flags applied (auto: TACRED-E/R, EN/RN, ENP/RNP…); a manifest and a decisions CSV go beside it')
  .argument('<project>', 'project file (.winnow)')
  .requiredOption('--split <name>', 'split to export')
  .requiredOption('--out <file>', 'output file (or an existing folder: the file is named after split, strategy and mode)')
  .addOption(new Option('--mode <mode>', 'what to write').choices(['original', 'reviewed', 'auto']).default('original'))
  .option('--run <id>', 'run whose flags are applied (auto; default: the latest)', parsePositiveInt)
  .option('--strategy <name>', 'strategy whose flags are applied (auto): is, es, esp, cl, knn')
  .addOption(new Option('--apply <what>', 'eliminate (drop), reannotate (relabel) or both (default: both; eliminate in auto mode)').choices(['eliminate', 'reannotate', 'both']))
  .option('--decisions-override', 'auto: human decisions win over the flags where they exist', false)
  .addOption(new Option('--patch <style>', 'also write the changes as a patch: tacrev [{id, relation}] or retacred {id: label}').choices(['tacrev', 'retacred']))
  .addOption(new Option('--format <format>', 'output format').choices(['json', 'jsonl']).default('json'))
  .option('--json', 'print the result as JSON', false)
  .action(
    async (
      project: string,
      opts: { split: string; out: string; mode: 'original' | 'reviewed' | 'auto'; run?: number; strategy?: string; apply?: 'eliminate' | 'reannotate' | 'both'; decisionsOverride: boolean; patch?: 'tacrev' | 'retacred'; format: 'json' | 'jsonl'; json: boolean },
    ) => {
      // The paper's datasets are either E or R: auto mode defaults to eliminate, reviewed to both.
      const apply = opts.apply ?? (opts.mode === 'auto' ? 'eliminate' : 'both');
      const line = progressLine(`export ${opts.split}`);
      const result = await runExportCli(project, { ...opts, apply, appVersion: packageJson.version, onProgress: line && ((p) => line(p)) });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (opts.json) console.log(JSON.stringify(result));
      else {
        console.log(`Wrote ${result.count} of ${result.before} examples of "${result.split}" (${result.dataset}) to ${result.path} (sha256 ${result.sha256})`);
        if (result.eliminated || result.relabelled) console.log(`  eliminated ${result.eliminated}, relabelled ${result.relabelled}`);
        console.log(`  manifest ${result.manifest.path}`);
        console.log(`  decisions ${result.decisionsCsv.path}`);
        if (result.patch) console.log(`  patch (${result.patch.style}) ${result.patch.path}`);
        if (result.eliminatedIds) console.log(`  eliminated ids ${result.eliminatedIds.path}`);
      }
    },
  );

program
  .command('report')
  .description('write a self-contained HTML report of a run: label distributions, flags per strategy and overlap, decisions over time, precision/recall against a reference')
  .argument('<project>', 'project file (.winnow)')
  .option('--run <id>', 'run id (default: the latest)', parsePositiveInt)
  .option('--reference <name>', 'reference set to evaluate against')
  .requiredOption('--out <file>', 'report file (.html)')
  .action(async (project: string, opts: { run?: number; reference?: string; out: string }) => {
    const result = await runReportCli(project, { ...opts, appVersion: packageJson.version });
    console.log(`Wrote the report of run ${result.runId} to ${result.path}`);
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
      console.log(`${summary.path}: ${summary.exampleCount} examples, ${summary.decisionCount} decisions`);
      for (const split of summary.splits) {
        console.log(`  ${split.name}: ${split.count} examples`);
        for (const count of summary.labelCounts.filter((c) => c.split === split.name)) console.log(`    ${count.label}\t${count.count}`);
      }
    } finally {
      db.close();
    }
  });

function parseStrategies(value: string): StrategyName[] {
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const name of names) {
    if (!StrategyName.safeParse(name).success) throw new InvalidArgumentError(`unknown strategy "${name}" (is, es, esp, cl, knn)`);
  }
  return names as StrategyName[];
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

program
  .command('rank')
  .description('rank the examples most likely to be mislabelled (built-in model, a model package, or imported predictions)')
  .argument('<project>', 'project file (.winnow)')
  .option('--model <model>', 'builtin, or a model package folder', 'builtin')
  .option('--predictions <file>', 'use predictions computed elsewhere (JSON Lines with a labels header)')
  .option('--strategies <list>', 'comma-separated: is,es,esp,cl,knn', parseStrategies)
  .option('--k <n>', 'neighbours per query', parsePositiveInt, 3)
  .option('--folds <n>', 'cross-fitting folds of the built-in model', parsePositiveInt, 5)
  .option('--seed <n>', 'random seed', parsePositiveInt, 13)
  .option('--clean <spec>', 'clean set for ES/ESP: reference:<name>, decided or split:<name>')
  .option('--splits <list>', 'only rank these splits (comma-separated)')
  .option('--json', 'print the summary as JSON', false)
  .action(async (project: string, opts: { model: string; predictions?: string; strategies?: StrategyName[]; k: number; folds: number; seed: number; clean?: string; splits?: string; json: boolean }) => {
    const db = openDatabase(project);
    try {
      const clean = opts.clean ? parseCleanSpec(opts.clean) : null;
      const defaultStrategies: StrategyName[] = clean ? ['is', 'es', 'esp', 'cl', 'knn'] : ['is', 'cl', 'knn'];
      const options: RankOptionsInput = {
        model: opts.predictions ? { kind: 'predictions', file: opts.predictions } : opts.model === 'builtin' ? { kind: 'builtin' } : { kind: 'package', dir: opts.model },
        strategies: opts.strategies ?? defaultStrategies,
        k: opts.k,
        folds: opts.folds,
        seed: opts.seed,
        clean,
        splits: opts.splits?.split(',').map((s) => s.trim()).filter(Boolean),
      };
      const line = progressLine('rank');
      const summary = await rankProject(db, options, { onProgress: line && ((phase, done, total) => line({ phase, done, total })) });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (opts.json) console.log(JSON.stringify(summary));
      else {
        console.log(`Run ${summary.runId}: ${summary.examples} examples ranked with ${summary.model} on ${summary.provider}; ${summary.queue} flagged in the triage queue`);
        for (const [name, count] of Object.entries(summary.flags)) console.log(`  ${name.toUpperCase()}\t${count} flags`);
        for (const skipped of summary.skippedProviders) console.log(`  provider ${skipped.provider} skipped: ${skipped.reason}`);
      }
    } finally {
      db.close();
    }
  });

program
  .command('runs')
  .description('list the ranking runs of a project')
  .argument('<project>', 'project file (.winnow)')
  .option('--json', 'print as JSON', false)
  .action((project: string, opts: { json: boolean }) => {
    const db = openDatabase(project);
    try {
      const runs = listRuns(db);
      if (opts.json) console.log(JSON.stringify(runs, null, 2));
      else for (const run of runs) console.log(`${run.id}\t${run.createdAt}\t${run.model}\t${run.provider}\t${run.queue} flagged\t${Object.entries(run.flags).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    } finally {
      db.close();
    }
  });

program
  .command('flags')
  .description('print the flagged examples of a run (the latest when --run is omitted), one JSON object per line')
  .argument('<project>', 'project file (.winnow)')
  .option('--run <id>', 'run id', parsePositiveInt)
  .option('--strategy <name>', 'only this strategy\'s flags, by score')
  .addOption(new Option('--format <format>', 'output format').choices(['jsonl']).default('jsonl'))
  .action((project: string, opts: { run?: number; strategy?: string }) => {
    if (opts.strategy && !StrategyName.safeParse(opts.strategy).success) throw new WinnowError('INVALID_INPUT', `unknown strategy "${opts.strategy}" (is, es, esp, cl, knn)`);
    const db = openDatabase(project);
    try {
      const runId = resolveRunId(db, opts.run);
      for (const line of iterateFlags(db, runId, opts.strategy)) process.stdout.write(JSON.stringify(line) + '\n');
    } finally {
      db.close();
    }
  });

const reference = program.command('reference').description('reference label sets (TACRev / Re-TACRED patches)');
reference
  .command('import')
  .description('import a TACRev-style [{id, relation}] or Re-TACRED-style {id: label} patch as a named reference')
  .argument('<project>', 'project file (.winnow)')
  .argument('<file>', 'patch file')
  .requiredOption('--name <name>', 'name of the reference set, e.g. tacrev')
  .option('--json', 'print as JSON', false)
  .action(async (project: string, file: string, opts: { name: string; json: boolean }) => {
    const db = openDatabase(project);
    try {
      const set = await importReferenceSet(db, file, opts.name);
      if (opts.json) console.log(JSON.stringify(set));
      else console.log(`Imported reference "${set.name}" (${set.style} style): ${set.count} labels, ${set.matched} of them for examples in this project`);
    } finally {
      db.close();
    }
  });
reference
  .command('list')
  .description('list the reference sets of a project')
  .argument('<project>', 'project file (.winnow)')
  .action((project: string) => {
    const db = openDatabase(project);
    try {
      for (const set of listReferenceSets(db)) console.log(`${set.name}\t${set.style}\t${set.count} labels\t${set.matched} matched`);
    } finally {
      db.close();
    }
  });

program
  .command('eval')
  .description('precision and recall of each strategy of a run against a reference set')
  .argument('<project>', 'project file (.winnow)')
  .option('--run <id>', 'run id (default: the latest)', parsePositiveInt)
  .requiredOption('--reference <name>', 'reference set name')
  .option('--json', 'print as JSON', false)
  .action((project: string, opts: { run?: number; reference: string; json: boolean }) => {
    const db = openDatabase(project);
    try {
      const result = evaluateRun(db, resolveRunId(db, opts.run), opts.reference);
      if (opts.json) {
        console.log(JSON.stringify(result, null, 2));
        return;
      }
      const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
      console.log(`Run ${result.runId} against "${result.reference}": ${result.covered} ranked examples covered, ${result.changed} of them relabelled by the reference`);
      console.log('strategy\tflagged\tcovered\tprecision\trecall\tsuggestion=reference\tnegatives->positive');
      for (const s of result.strategies) {
        console.log(`${s.strategy}\t${s.flagged}\t${s.flaggedCovered}\t${pct(s.precision)}\t${pct(s.recall)}\t${pct(s.suggestionAccuracy)}\t${pct(s.negativesToPositive)}`);
      }
    } finally {
      db.close();
    }
  });

function annotatorName(explicit: string | undefined, dataDir: string): string {
  return explicit ?? new SettingsStore(dataDir).get().annotator;
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

program
  .command('decide')
  .description('record a decision on one example (appended to the project\'s decision log)')
  .argument('<project>', 'project file (.winnow)')
  .requiredOption('--id <id>', 'example id')
  .addOption(new Option('--action <action>', 'what to do').choices(['keep', 'eliminate', 'reannotate', 'accept', 'undo', 'redo']).makeOptionMandatory())
  .option('--label <label>', 'new label (with reannotate)')
  .option('--note <text>', 'a note kept with the decision')
  .option('--run <id>', 'run whose suggestion is accepted (with accept; default: the latest)', parsePositiveInt)
  .option('--annotator <name>', 'who decides (default: the app\'s setting, else your user name)')
  .option('--data-dir <dir>', 'settings folder', defaultDataDir())
  .option('--json', 'print the result as JSON', false)
  .action((project: string, opts: { id: string; action: 'keep' | 'eliminate' | 'reannotate' | 'accept' | 'undo' | 'redo'; label?: string; note?: string; run?: number; annotator?: string; dataDir: string; json: boolean }) => {
    const db = openDatabase(project);
    try {
      const annotator = annotatorName(opts.annotator, opts.dataDir);
      let result;
      if (opts.action === 'undo') result = undoLast(db, annotator);
      else if (opts.action === 'redo') result = redoLast(db, annotator);
      else {
        if (opts.action === 'reannotate' && !opts.label) throw new WinnowError('INVALID_INPUT', '--action reannotate needs --label');
        const row = db.prepare('SELECT id FROM examples WHERE ext_id = ?').pluck().get(opts.id) as number | undefined;
        if (row === undefined) throw new WinnowError('NOT_FOUND', `No example with id "${opts.id}" in ${project}`);
        const runId = opts.action === 'accept' ? resolveRunId(db, opts.run) : (opts.run ?? null);
        result = applyDecisions(db, { examples: [row], action: opts.action, label: opts.label, note: opts.note, runId, annotator });
      }
      if (opts.json) console.log(JSON.stringify(result));
      else console.log(result.count ? `Recorded (${opts.action}) for ${result.count} example${result.count > 1 ? 's' : ''}` : `Nothing to ${opts.action}`);
    } finally {
      db.close();
    }
  });

program
  .command('decisions')
  .description('print the decisions: each decided example\'s current decision, or with --all the whole append-only log')
  .argument('<project>', 'project file (.winnow)')
  .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
  .option('--all', 'every record of the log, undos and redos included', false)
  .action((project: string, opts: { format: 'jsonl' | 'csv'; all: boolean }) => {
    const db = openDatabase(project);
    try {
      const columns = ['seq', 'id', 'split', 'action', 'oldLabel', 'newLabel', 'annotator', 'time', 'note', 'run', 'kind'] as const;
      if (opts.format === 'csv') process.stdout.write(columns.join(',') + '\n');
      for (const line of iterateDecisions(db, { all: opts.all })) {
        if (opts.format === 'jsonl') process.stdout.write(JSON.stringify(line) + '\n');
        else process.stdout.write(columns.map((c) => csvCell(line[c])).join(',') + '\n');
      }
    } finally {
      db.close();
    }
  });

program
  .command('serve')
  .description('open the studio in a browser (binds 127.0.0.1; prints the URL with its access token)')
  .argument('[project]', 'project file to open (.winnow)')
  .option('--demo', 'open the demo project', false)
  .option('--port <port>', 'port (0 picks a free one)', parsePort, 0)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--allow-remote', 'allow binding a non-loopback address (exposes your data to the network)', false)
  .option('--data-dir <dir>', 'settings and demo folder', defaultDataDir())
  .action(async (project: string | undefined, opts: { demo: boolean; port: number; host: string; allowRemote: boolean; dataDir: string }) => {
    if (opts.allowRemote) console.error('winnow: warning: --allow-remote exposes this project to every machine that can reach this address');
    const handle = await serve({
      dataDir: path.resolve(opts.dataDir),
      appRoot: appRoot(import.meta.url),
      jobs: { mode: 'worker', workerUrl: new URL('./job-worker.js', import.meta.url) },
      projectPath: project,
      demo: opts.demo,
      host: opts.host,
      port: opts.port,
      allowRemote: opts.allowRemote,
      version: packageJson.version,
    });
    console.log(`Winnow is serving at ${handle.server.url}`);
    const stop = () => {
      void handle.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

// `winnow --version --json`: the About record (commander alone would print the bare version).
const done = asksVersionJson(process.argv.slice(2), { only: true })
  ? aboutWinnow({ version: packageJson.version }).then((about) => console.log(JSON.stringify(about, null, 2)))
  : program.parseAsync(process.argv);
done.catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`winnow: ${message.split('\n')[0]}`);
  process.exit(1);
});
