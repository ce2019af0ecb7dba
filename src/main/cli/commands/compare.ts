import type { Command } from 'commander';
import { COMPARE_VARIANTS, comparisonRows, comparisonViews, signedDelta, type CompareResult, type CompareVariant } from '../../../shared/compare';
import { compareVariants, CompareOptions } from '../../core/compare/compare-variants';
import { openDatabase } from '../../core/store/database';
import { progressBar } from '../progress';
import { parseCount, parseOptions, required, splitList } from '../shared-options';

interface CompareFlags {
  train: string;
  eval: string;
  run?: number;
  variants?: string;
  reference?: string;
  seeds?: number;
  predictionsDir?: string;
  trainer?: string;
  json: boolean;
}

/** Variant names as typed, matched without regard to case ("cl-e" is CL-E). */
function variantList(text: string): CompareVariant[] {
  const byLower = new Map(COMPARE_VARIANTS.map((v) => [v.toLowerCase(), v]));
  return splitList(text).map((v) => byLower.get(v.toLowerCase()) ?? (v as CompareVariant));
}

/** `winnow compare`: does cleaning help? The paper's retraining experiment. */
export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description("retrain a model on each cleaned variant of a split (built as the export writes them) and score held-out splits with TACRED's metric")
    .argument('<project>', 'project file (.winnow)')
    .requiredOption('--train <split>', required('split the variants are built from and trained on'))
    .requiredOption('--eval <splits>', required('held-out split(s) to score, comma-separated'))
    .option('--run <id>', 'run whose flags make the automatic variants (default: the latest)', parseCount)
    .option('--variants <list>', `comma-separated, of ${COMPARE_VARIANTS.join(',')} (default: all the run can build)`)
    .option('--reference <name>', 'also score against the eval labels with this reference patch applied (TACRev, Re-TACRED)')
    .option('--seeds <n>', 'models per variant, seeds 1..n', parseCount, 3)
    .option('--predictions-dir <dir>', 'write <variant>.<eval>.seed<k>.jsonl ({"id", "relation"} per eval example) here')
    .option('--trainer <command>', 'your training command instead of the built-in model, with {train} {eval} {out} {seed}')
    .option('--json', 'print the result as JSON', false)
    .action(async (project: string, flags: CompareFlags) => {
      const options = parseOptions(CompareOptions, {
        train: flags.train,
        evals: splitList(flags.eval),
        run: flags.run,
        ...(flags.variants ? { variants: variantList(flags.variants) } : {}),
        reference: flags.reference,
        seeds: flags.seeds,
        predictionsDir: flags.predictionsDir,
        trainer: flags.trainer,
      });
      const db = openDatabase(project);
      const bar = progressBar('compare', flags.json);
      // Ctrl-C stops the training (and a trainer process) cleanly; nothing is saved.
      const controller = new AbortController();
      const onInterrupt = () => controller.abort();
      process.once('SIGINT', onInterrupt);
      try {
        const result = await compareVariants(db, options, { signal: controller.signal, onProgress: bar.update });
        bar.stop();
        // On stderr, so that --json output stays parseable.
        for (const warning of result.warnings) process.stderr.write(`winnow: warning: ${warning}\n`);
        if (flags.json) console.log(JSON.stringify(result, null, 2));
        else printComparison(result);
      } finally {
        process.off('SIGINT', onInterrupt);
        bar.stop();
        db.close();
      }
    });
}

const f3 = (v: number) => v.toFixed(3);

function printComparison(result: CompareResult): void {
  console.log(
    `Comparison ${result.id}: trained on "${result.train}"${result.runId === null ? '' : ` with run ${result.runId}'s flags`}, ${result.model === 'builtin' ? 'built-in model' : `trainer \`${result.model}\``}, seeds ${result.seeds.join(', ')}, ${result.seconds} s`,
  );
  for (const view of comparisonViews(result)) {
    console.log(`\n${view.eval}, ${view.labels === 'given' ? 'given labels' : `labels of reference "${result.reference}"`} (TACRED micro P/R/F1 over positive labels, mean over seeds)`);
    console.log(['variant', 'size', 'removed', 'relabelled', 'P', 'R', 'F1', 'F1 min-max', 'vs original'].join('\t'));
    for (const row of comparisonRows(result, view)) {
      console.log([row.name, row.trainSize, row.removed, row.relabelled, f3(row.p.mean), f3(row.r.mean), f3(row.f1.mean), `${f3(row.f1.min)}-${f3(row.f1.max)}`, signedDelta(row.delta)].join('\t'));
    }
  }
  for (const s of result.skipped) console.log(`skipped ${s.name}: ${s.reason}`);
  if (result.predictionsDir) console.log(`predictions in ${result.predictionsDir}`);
  if (result.log) console.log(`trainer log ${result.log}`);
}
