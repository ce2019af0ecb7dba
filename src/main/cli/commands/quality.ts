import { Option, type Command } from 'commander';
import { csvField } from '../../core/export/decisions-csv';
import { iteratePredictions } from '../../core/ranking/run-quality';
import { resolveRunId } from '../../core/ranking/run-queries';
import { openDatabase } from '../../core/store/database';
import { parseCount } from '../shared-options';

const COLUMNS = ['id', 'split', 'given', 'predicted', 'confidence'] as const;

/** `winnow predictions`: what the model behind a run predicted, so that any quality figure can be checked. */
export function registerQualityCommands(program: Command): void {
  program
    .command('predictions')
    .description("print a run's prediction for every ranked example (given label, predicted label, its probability), one line each")
    .argument('<project>', 'project file (.winnow)')
    .option('--run <id>', 'run id (default: the latest)', parseCount)
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .action((project: string, opts: { run?: number; format: 'jsonl' | 'csv' }) => {
      const db = openDatabase(project);
      try {
        const runId = resolveRunId(db, opts.run);
        if (opts.format === 'csv') process.stdout.write(`${COLUMNS.join(',')}\n`);
        for (const line of iteratePredictions(db, runId)) {
          const ordered = { id: line.id, split: line.split, given: line.given, predicted: line.predicted, confidence: line.confidence };
          process.stdout.write(opts.format === 'jsonl' ? `${JSON.stringify(ordered)}\n` : `${COLUMNS.map((c) => csvField(ordered[c])).join(',')}\n`);
        }
      } finally {
        db.close();
      }
    });
}
