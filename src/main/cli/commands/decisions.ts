import path from 'node:path';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { WinnowError } from '../../../shared/errors';
import { DecisionLine, RequestedAction } from '../../../shared/decisions';
import { AnnotatorName } from '../../../shared/team';
import { defaultDataDir } from '../../core/app/paths';
import { csvField } from '../../core/export/decisions-csv';
import { resolveRunId } from '../../core/ranking/run-queries';
import { openDatabase } from '../../core/store/database';
import { exportDecisionLog, importDecisionLog } from '../../core/store/decision-exchange';
import { applyDecisions, iterateDecisions, redoLast, resolveDecisionTargets, undoLast } from '../../core/store/decisions';
import { annotatorName, parseCount, parseOptions, required } from '../shared-options';

const AnnotatorFlag = z.object({ annotator: AnnotatorName.optional() });

/** `winnow decide` and `winnow decisions list|export|import`: the decision log from the command line. */
export function registerDecisionCommands(program: Command, appVersion: string): void {
  program
    .command('decide')
    .description("record a decision on one example (appended to the project's decision log), or undo/redo your own last one")
    .argument('<project>', 'project file (.winnow)')
    .option('--id <id>', 'example id (required except with undo and redo)')
    .addOption(new Option('--action <action>', required('what to do')).choices([...RequestedAction.options, 'undo', 'redo']).makeOptionMandatory())
    .option('--label <label>', 'new label (with reannotate)')
    .option('--note <text>', 'a note kept with the decision')
    .option('--run <id>', 'run whose suggestion is accepted (with accept; default: the latest)', parseCount)
    .option('--annotator <name>', "who decides (default: the app's setting, else your user name)")
    .option('--adjudicate', "record the final decision that settles the annotators' disagreement (marked as adjudication in the log)", false)
    .option('--data-dir <dir>', 'settings folder', defaultDataDir())
    .option('--json', 'print the result as JSON', false)
    .action(
      (
        project: string,
        opts: { id?: string; action: RequestedAction | 'undo' | 'redo'; label?: string; note?: string; run?: number; annotator?: string; adjudicate: boolean; dataDir: string; json: boolean },
      ) => {
        parseOptions(AnnotatorFlag, { annotator: opts.annotator });
        const db = openDatabase(project);
        try {
          const annotator = annotatorName(opts.annotator, opts.dataDir);
          let result;
          if (opts.action === 'undo' || opts.action === 'redo') {
            if (opts.id !== undefined) throw new WinnowError('INVALID_INPUT', `--id does not apply to --action ${opts.action}: it ${opts.action === 'undo' ? 'undoes' : 'redoes'} your own last batch`);
            if (opts.adjudicate) throw new WinnowError('INVALID_INPUT', `--adjudicate does not apply to --action ${opts.action}: it ${opts.action === 'undo' ? 'undoes' : 'redoes'} your own last batch, adjudication or not`);
            result = opts.action === 'undo' ? undoLast(db, annotator) : redoLast(db, annotator);
          } else {
            if (opts.id === undefined) throw new WinnowError('INVALID_INPUT', `--id is required with --action ${opts.action} (winnow decide --help)`);
            if (opts.action === 'reannotate' && !opts.label) throw new WinnowError('INVALID_INPUT', '--action reannotate needs --label');
            const examples = resolveDecisionTargets(db, { ids: [opts.id] });
            const runId = opts.action === 'accept' ? resolveRunId(db, opts.run) : (opts.run ?? null);
            result = applyDecisions(db, { examples, action: opts.action, label: opts.label, note: opts.note, runId, annotator, adjudication: opts.adjudicate });
          }
          if (opts.json) console.log(JSON.stringify(result));
          else {
            const what = `${opts.action}${opts.adjudicate ? ', as adjudication' : ''}`;
            console.log(result.count ? `Recorded (${what}) by ${annotator} for ${result.count} example${result.count > 1 ? 's' : ''}` : `Nothing of ${annotator}'s to ${opts.action}`);
          }
        } finally {
          db.close();
        }
      },
    );

  const decisions = program
    .command('decisions')
    .description("the decision log: list it (the default: `winnow decisions <project>`), or export and import it to merge annotators' copies");
  decisions
    .command('list', { isDefault: true })
    .description("print the decisions: every annotator's current decision on each example they decided, or with --all the whole append-only log")
    .argument('<project>', 'project file (.winnow)')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--all', 'every record of the log, undos and redos included', false)
    .option('--annotator <name>', "only this annotator's decisions")
    .action((project: string, opts: { format: 'jsonl' | 'csv'; all: boolean; annotator?: string }) => {
      const { annotator } = parseOptions(AnnotatorFlag, { annotator: opts.annotator });
      const db = openDatabase(project);
      try {
        const columns = Object.keys(DecisionLine.shape) as (keyof DecisionLine)[];
        if (opts.format === 'csv') process.stdout.write(columns.join(',') + '\n');
        for (const line of iterateDecisions(db, { all: opts.all, ...(annotator === undefined ? {} : { annotator }) })) {
          if (opts.format === 'jsonl') process.stdout.write(JSON.stringify(line) + '\n');
          else process.stdout.write(columns.map((c) => csvField(line[c])).join(',') + '\n');
        }
      } finally {
        db.close();
      }
    });
  decisions
    .command('export')
    .description("write the decision log (ids, annotators, times, undo/redo records) with the dataset's fingerprint, for another copy of the project to import")
    .argument('<project>', 'project file (.winnow)')
    .requiredOption('--out <file>', required('log file to write (.jsonl)'))
    .option('--annotator <name>', "only this annotator's decisions (with their undos, redos and adjudications)")
    .option('--json', 'print the result as JSON', false)
    .action(async (project: string, opts: { out: string; annotator?: string; json: boolean }) => {
      const { annotator } = parseOptions(AnnotatorFlag, { annotator: opts.annotator });
      const db = openDatabase(project);
      try {
        const result = await exportDecisionLog(db, { outPath: opts.out, annotator, appVersion, projectName: path.basename(project, '.winnow') });
        if (opts.json) console.log(JSON.stringify(result));
        else console.log(`Wrote ${result.records.toLocaleString('en-US')} decision records${annotator === undefined ? '' : ` of ${annotator}`} to ${result.path}`);
      } finally {
        db.close();
      }
    });
  decisions
    .command('import')
    .description("merge a decision log exported from another copy of this project (idempotent; refused when the data differ; all or nothing)")
    .argument('<project>', 'project file (.winnow)')
    .argument('<file>', 'log file written by `winnow decisions export`')
    .option('--json', 'print the result as JSON', false)
    .action(async (project: string, file: string, opts: { json: boolean }) => {
      const db = openDatabase(project);
      try {
        const result = await importDecisionLog(db, file);
        if (opts.json) console.log(JSON.stringify(result));
        else {
          console.log(
            `Merged ${result.imported.toLocaleString('en-US')} of ${result.records.toLocaleString('en-US')} records from ${file}` +
              (result.annotators.length ? ` (${result.annotators.join(', ')})` : '') +
              (result.alreadyPresent ? `; ${result.alreadyPresent.toLocaleString('en-US')} were already here` : ''),
          );
        }
      } finally {
        db.close();
      }
    });
}
