import { Option, type Command } from 'commander';
import { z } from 'zod';
import { OptionError } from '../../../shared/errors';
import {
  ClFilterBy,
  ClPositives,
  ClScore,
  defaultStrategies,
  EmbeddingFit,
  ProbabilityFit,
  EXECUTION_PROVIDERS,
  IsAnchors,
  NeighbourMode,
  RANK_PARAMETER_INFO,
  RankParameters,
  type ExecutionProvider,
  type RunSummary,
} from '../../../shared/ranking';
import { ReferenceName } from '../../../shared/names';
import { StrategyName, STRATEGY_NAMES } from '../../../shared/strategies';
import { evaluateRun } from '../../core/ranking/evaluate';
import { parseCleanSpec, RankOptions } from '../../core/ranking/rank-options';
import { rankProject } from '../../core/ranking/rank-project';
import { iterateFlags, listRuns, resolveRunId } from '../../core/ranking/run-queries';
import { openDatabase } from '../../core/store/database';
import { assignedExampleIds } from '../../core/store/assignments';
import { AnnotatorName } from '../../../shared/team';
import { progressBar } from '../progress';
import { parseOptions, required, splitList } from '../shared-options';

interface RankFlags {
  model: string;
  predictions?: string;
  labels?: string;
  ids?: string;
  embeddings?: string;
  strategies?: string;
  k?: string;
  folds?: string;
  repeats?: string;
  seed?: string;
  clean: string[];
  cleanReference?: string;
  splits?: string;
  isAnchors?: string;
  isMinMargin?: string;
  embeddingFit?: string;
  probabilityFit?: string;
  clFilter?: string;
  clScore?: string;
  clMinMargin?: string;
  clPositives?: string;
  knnK?: string;
  knnThreshold?: string;
  knnMinMargin?: string;
  neighbours?: string;
  ivfLists?: string;
  ivfProbes?: string;
  provider?: string;
  json: boolean;
}

/** A number flag as typed; the schema decides whether it is a valid value. */
const asNumber = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** The rank flags, checked by the same schema as the rank dialog's fields. */
export function rankOptionsFromFlags(flags: Omit<RankFlags, 'json' | 'clean'> & { clean?: string[] | undefined }): z.output<typeof RankOptions> {
  const clean = (flags.clean ?? []).map(parseCleanSpec);
  const parameters = parseOptions(RankParameters, {
    strategies: flags.strategies ? (splitList(flags.strategies.toLowerCase()) as StrategyName[]) : defaultStrategies(clean.length > 0),
    k: asNumber(flags.k),
    folds: asNumber(flags.folds),
    repeats: asNumber(flags.repeats),
    seed: asNumber(flags.seed),
    clean,
    cleanReference: flags.cleanReference,
    splits: flags.splits ? splitList(flags.splits) : undefined,
    isAnchors: flags.isAnchors as z.input<typeof RankParameters>['isAnchors'],
    isMinMargin: asNumber(flags.isMinMargin),
    embeddingFit: flags.embeddingFit as z.input<typeof RankParameters>['embeddingFit'],
    probabilityFit: flags.probabilityFit as z.input<typeof RankParameters>['probabilityFit'],
    clFilterBy: flags.clFilter as z.input<typeof ClFilterBy> | undefined,
    clScore: flags.clScore as z.input<typeof RankParameters>['clScore'],
    clMinMargin: asNumber(flags.clMinMargin),
    clPositives: flags.clPositives as z.input<typeof ClPositives> | undefined,
    knnK: asNumber(flags.knnK),
    knnThreshold: asNumber(flags.knnThreshold),
    knnMinMargin: asNumber(flags.knnMinMargin),
    neighbours: flags.neighbours as z.input<typeof NeighbourMode> | undefined,
    ivfLists: asNumber(flags.ivfLists),
    ivfProbes: asNumber(flags.ivfProbes),
    providers: flags.provider ? [flags.provider as ExecutionProvider] : undefined,
  });
  for (const extra of ['labels', 'ids', 'embeddings'] as const) {
    if (flags[extra] && !flags.predictions) throw new OptionError(extra, 'goes with --predictions (a .npy array of probabilities)');
  }
  const model = flags.predictions
    ? { kind: 'predictions' as const, file: flags.predictions, labels: flags.labels, ids: flags.ids, embeddings: flags.embeddings }
    : flags.model === 'builtin'
      ? { kind: 'builtin' as const }
      : { kind: 'package' as const, dir: flags.model };
  return parseOptions(RankOptions, { ...parameters, model });
}

const info = RANK_PARAMETER_INFO;
const collect = (value: string, previous: string[]) => [...previous, value];

/** Prints what the user should know about a run on stderr, so that --json output stays parseable. */
function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`winnow: warning: ${warning}\n`);
}

/** `winnow rank`, `runs`, `flags`, `eval`: ranking runs and what they found. */
export function registerRankingCommands(program: Command): void {
  program
    .command('rank')
    .description('rank the examples most likely to be mislabelled (built-in model, a model package, or imported predictions)')
    .argument('<project>', 'project file (.winnow)')
    .option('--model <model>', 'builtin, or a model package folder', 'builtin')
    .option('--predictions <file>', 'predictions computed elsewhere: Winnow JSON Lines, CSV/TSV (id column + one column per label) or a numpy .npy of probabilities')
    .option('--labels <file>', 'with a .npy: the class order of its columns (labels.json array or labels.txt, one per line)')
    .option('--ids <file>', 'with a .npy: the example id of each row (one per line)')
    .option('--embeddings <file>', 'with a .npy: an embedding per row (another .npy), for IS, ES, ESP and KNN')
    .option(info.strategies.flag, info.strategies.help)
    .option(info.k.flag, info.k.help)
    .option(info.folds.flag, info.folds.help)
    .option(info.repeats.flag, info.repeats.help)
    .option(info.seed.flag, info.seed.help)
    .option(info.clean.flag, info.clean.help, collect, [])
    .option(info.cleanReference.flag, info.cleanReference.help)
    .option(info.splits.flag, info.splits.help)
    .addOption(new Option(info.isAnchors.flag, info.isAnchors.help).choices(IsAnchors.options))
    .option(info.isMinMargin.flag, info.isMinMargin.help)
    .addOption(new Option(info.embeddingFit.flag, info.embeddingFit.help).choices(EmbeddingFit.options))
    .addOption(new Option(info.probabilityFit.flag, info.probabilityFit.help).choices(ProbabilityFit.options))
    .addOption(new Option(info.clFilterBy.flag, info.clFilterBy.help).choices(ClFilterBy.options))
    .addOption(new Option(info.clScore.flag, info.clScore.help).choices(ClScore.options))
    .option(info.clMinMargin.flag, info.clMinMargin.help)
    .addOption(new Option(info.clPositives.flag, info.clPositives.help).choices(ClPositives.options))
    .option(info.knnK.flag, info.knnK.help)
    .option(info.knnThreshold.flag, info.knnThreshold.help)
    .option(info.knnMinMargin.flag, info.knnMinMargin.help)
    .addOption(new Option(info.neighbours.flag, info.neighbours.help).choices(NeighbourMode.options))
    .option(info.ivfLists.flag, info.ivfLists.help)
    .option(info.ivfProbes.flag, info.ivfProbes.help)
    .addOption(new Option(info.providers.flag, info.providers.help).choices(EXECUTION_PROVIDERS))
    .option('--json', 'print the summary as JSON', false)
    .action(async (project: string, flags: RankFlags) => {
      const options = rankOptionsFromFlags(flags);
      const db = openDatabase(project);
      const bar = progressBar('rank', flags.json);
      try {
        const summary = await rankProject(db, options, { onProgress: bar.update });
        bar.stop();
        printWarnings(summary.warnings);
        if (flags.json) console.log(JSON.stringify(summary));
        else {
          console.log(`Run ${summary.runId}: ${summary.examples.toLocaleString('en-US')} examples ranked with ${summary.model} on ${summary.provider} (negative label ${summary.negativeLabel}); ${summary.queue.toLocaleString('en-US')} flagged in the triage queue`);
          if (summary.cleanSet) {
            const c = summary.cleanSet;
            console.log(`  clean set: ${c.description}: ${c.examples.toLocaleString('en-US')} examples, ${c.relabelledByReference} relabelled by the reference`);
          }
          if (summary.notCovered) console.log(`  ${summary.notCovered.toLocaleString('en-US')} examples had no prediction and were not ranked`);
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
        else {
          for (const run of runs) {
            console.log(`${run.id}\t${run.createdAt}\t${run.model}\t${run.provider}\t${run.queue} flagged\t${Object.entries(run.flags).map(([k, v]) => `${k}=${v}`).join(' ')}${qualityText(run.quality)}${run.invalidated ? `\tINVALIDATED: ${run.invalidated}` : ''}`);
          }
        }
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
    .option('--assigned-to <name>', 'only the examples `winnow assign` gave to this annotator')
    .action((project: string, opts: { run?: string; strategy?: StrategyName; assignedTo?: string }) => {
      const { run, assignedTo } = parseOptions(RunFlag.extend({ assignedTo: AnnotatorName.optional() }), { run: asNumber(opts.run), assignedTo: opts.assignedTo });
      const db = openDatabase(project);
      try {
        const runId = resolveRunId(db, run);
        const assigned = assignedTo === undefined ? null : assignedExampleIds(db, assignedTo);
        for (const line of iterateFlags(db, runId, opts.strategy)) if (!assigned || assigned.has(line.id)) process.stdout.write(JSON.stringify(line) + '\n');
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
