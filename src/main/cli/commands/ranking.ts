import { Option, type Command } from 'commander';
import { z } from 'zod';
import { ClFilterBy, defaultStrategies, RankParameters, type RunSummary } from '../../../shared/ranking';
import { ReferenceName } from '../../../shared/names';
import { StrategyName, STRATEGY_NAMES } from '../../../shared/strategies';
import { evaluateRun } from '../../core/ranking/evaluate';
import { parseCleanSpec, RankOptions } from '../../core/ranking/rank-options';
import { rankProject } from '../../core/ranking/rank-project';
import { iterateFlags, listRuns, resolveRunId } from '../../core/ranking/run-queries';
import { openDatabase } from '../../core/store/database';
import { progressBar } from '../progress';
import { parseOptions, required, splitList } from '../shared-options';

interface RankFlags {
  model: string;
  predictions?: string;
  strategies?: string;
  k?: string;
  folds?: string;
  seed?: string;
  clean?: string;
  splits?: string;
  clFilter?: string;
  json: boolean;
}

/** A number flag as typed; the schema decides whether it is a valid value. */
const asNumber = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** The rank flags, checked by the same schema as the rank dialog's fields. */
export function rankOptionsFromFlags(flags: Omit<RankFlags, 'json'>): z.output<typeof RankOptions> {
  const clean = flags.clean ? parseCleanSpec(flags.clean) : null;
  const parameters = parseOptions(RankParameters, {
    strategies: flags.strategies ? (splitList(flags.strategies.toLowerCase()) as StrategyName[]) : defaultStrategies(clean !== null),
    k: asNumber(flags.k),
    folds: asNumber(flags.folds),
    seed: asNumber(flags.seed),
    clean,
    splits: flags.splits ? splitList(flags.splits) : undefined,
    clFilterBy: flags.clFilter as z.input<typeof ClFilterBy> | undefined,
  });
  const model = flags.predictions ? { kind: 'predictions' as const, file: flags.predictions } : flags.model === 'builtin' ? { kind: 'builtin' as const } : { kind: 'package' as const, dir: flags.model };
  return parseOptions(RankOptions, { ...parameters, model });
}

/** `winnow rank`, `runs`, `flags`, `eval`: ranking runs and what they found. */
export function registerRankingCommands(program: Command): void {
  program
    .command('rank')
    .description('rank the examples most likely to be mislabelled (built-in model, a model package, or imported predictions)')
    .argument('<project>', 'project file (.winnow)')
    .option('--model <model>', 'builtin, or a model package folder', 'builtin')
    .option('--predictions <file>', 'use predictions computed elsewhere (JSON Lines with a labels header)')
    .option('--strategies <list>', `comma-separated: ${STRATEGY_NAMES.join(',')} (default: is,cl,knn; all five with --clean)`)
    .option('--k <n>', 'neighbours per query (1-100)', '3')
    .option('--folds <n>', 'cross-fitting folds of the built-in model (2-20)', '5')
    .option('--seed <n>', 'random seed', '13')
    .option('--clean <spec>', 'clean set for ES/ESP: reference:<name>, decided or split:<name>')
    .option('--splits <list>', 'only rank these splits (comma-separated)')
    .addOption(new Option('--cl-filter <mode>', "confident learning's filter_by").choices(ClFilterBy.options).default('prune_by_noise_rate'))
    .option('--json', 'print the summary as JSON', false)
    .action(async (project: string, flags: RankFlags) => {
      const options = rankOptionsFromFlags(flags);
      const db = openDatabase(project);
      const bar = progressBar('rank', flags.json);
      try {
        const summary = await rankProject(db, options, { onProgress: bar.update });
        bar.stop();
        if (flags.json) console.log(JSON.stringify(summary));
        else {
          console.log(`Run ${summary.runId}: ${summary.examples.toLocaleString('en-US')} examples ranked with ${summary.model} on ${summary.provider}; ${summary.queue.toLocaleString('en-US')} flagged in the triage queue`);
          for (const [name, count] of Object.entries(summary.flags)) console.log(`  ${name.toUpperCase()}\t${count} flags`);
          if (summary.quality) console.log(`  model quality against the given labels:${qualityText(summary.quality).replace('\t', ' ')}`);
          for (const skipped of summary.skippedProviders) console.log(`  provider ${skipped.provider} skipped: ${skipped.reason}`);
        }
      } finally {
        bar.stop();
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
        else if (!runs.length) console.log(`${project} has no ranking runs yet: start one with \`winnow rank ${project}\``);
        else for (const run of runs) console.log(`${run.id}\t${run.createdAt}\t${run.model}\t${run.provider}\t${run.queue} flagged\t${Object.entries(run.flags).map(([k, v]) => `${k}=${v}`).join(' ')}${qualityText(run.quality)}`);
      } finally {
        db.close();
      }
    });

  program
    .command('flags')
    .description('print the flagged examples of a run (the latest when --run is omitted), one JSON object per line')
    .argument('<project>', 'project file (.winnow)')
    .option('--run <id>', 'run id')
    .addOption(new Option('--strategy <name>', "only this strategy's flags, by score").choices(STRATEGY_NAMES))
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl']).default('jsonl'))
    .action((project: string, opts: { run?: string; strategy?: StrategyName }) => {
      const { run } = parseOptions(RunFlag, { run: asNumber(opts.run) });
      const db = openDatabase(project);
      try {
        const runId = resolveRunId(db, run);
        for (const line of iterateFlags(db, runId, opts.strategy)) process.stdout.write(JSON.stringify(line) + '\n');
      } finally {
        db.close();
      }
    });

  program
    .command('eval')
    .description('precision and recall of each strategy of a run against a reference set')
    .argument('<project>', 'project file (.winnow)')
    .option('--run <id>', 'run id (default: the latest)')
    .requiredOption('--reference <name>', required('reference set name'))
    .option('--json', 'print as JSON', false)
    .action((project: string, opts: { run?: string; reference: string; json: boolean }) => {
      const { run, reference } = parseOptions(RunFlag.extend({ reference: ReferenceName }), { run: asNumber(opts.run), reference: opts.reference });
      const db = openDatabase(project);
      try {
        const result = evaluateRun(db, resolveRunId(db, run), reference);
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
}

/** The model-quality readout in one phrase, for the text listing. */
function qualityText(quality: RunSummary['quality']): string {
  return quality ? `\tmicro-F1 ${quality.microF1.toFixed(3)} macro-F1 ${quality.macroF1.toFixed(3)} ECE ${quality.ece.toFixed(3)}` : '';
}

const RunFlag = z.object({ run: z.number().int().positive('a run number (see `winnow runs`)').optional() });
