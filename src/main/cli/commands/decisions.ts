import { Option, type Command } from 'commander';
import { WinnowError } from '../../../shared/errors';
import { DecisionLine, RequestedAction } from '../../../shared/decisions';
import { defaultDataDir } from '../../core/app/paths';
import { csvField } from '../../core/export/decisions-csv';
import { resolveRunId } from '../../core/ranking/run-queries';
import { openDatabase } from '../../core/store/database';
import { applyDecisions, iterateDecisions, redoLast, resolveDecisionTargets, undoLast } from '../../core/store/decisions';
import { annotatorName, parseCount, required } from '../shared-options';

/** `winnow decide` and `winnow decisions`: the decision log from the command line. */
export function registerDecisionCommands(program: Command): void {
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
    .option('--data-dir <dir>', 'settings folder', defaultDataDir())
    .option('--json', 'print the result as JSON', false)
    .action((project: string, opts: { id?: string; action: RequestedAction | 'undo' | 'redo'; label?: string; note?: string; run?: number; annotator?: string; dataDir: string; json: boolean }) => {
      const db = openDatabase(project);
      try {
        const annotator = annotatorName(opts.annotator, opts.dataDir);
        let result;
        if (opts.action === 'undo' || opts.action === 'redo') {
          if (opts.id !== undefined) throw new WinnowError('INVALID_INPUT', `--id does not apply to --action ${opts.action}: it ${opts.action}s your own last batch`);
          result = opts.action === 'undo' ? undoLast(db, annotator) : redoLast(db, annotator);
        } else {
          if (opts.id === undefined) throw new WinnowError('INVALID_INPUT', `--id is required with --action ${opts.action} (winnow decide --help)`);
          if (opts.action === 'reannotate' && !opts.label) throw new WinnowError('INVALID_INPUT', '--action reannotate needs --label');
          const examples = resolveDecisionTargets(db, { ids: [opts.id] });
          const runId = opts.action === 'accept' ? resolveRunId(db, opts.run) : (opts.run ?? null);
          result = applyDecisions(db, { examples, action: opts.action, label: opts.label, note: opts.note, runId, annotator });
        }
        if (opts.json) console.log(JSON.stringify(result));
        else console.log(result.count ? `Recorded (${opts.action}) for ${result.count} example${result.count > 1 ? 's' : ''}` : `Nothing to ${opts.action}`);
      } finally {
        db.close();
      }
    });

  program
    .command('decisions')
    .description("print the decisions: each decided example's current decision, or with --all the whole append-only log")
    .argument('<project>', 'project file (.winnow)')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--all', 'every record of the log, undos and redos included', false)
    .action((project: string, opts: { format: 'jsonl' | 'csv'; all: boolean }) => {
      const db = openDatabase(project);
      try {
        const columns = Object.keys(DecisionLine.shape) as (keyof DecisionLine)[];
        if (opts.format === 'csv') process.stdout.write(columns.join(',') + '\n');
        for (const line of iterateDecisions(db, { all: opts.all })) {
          if (opts.format === 'jsonl') process.stdout.write(JSON.stringify(line) + '\n');
          else process.stdout.write(columns.map((c) => csvField(line[c])).join(',') + '\n');
        }
      } finally {
        db.close();
      }
    });
}
