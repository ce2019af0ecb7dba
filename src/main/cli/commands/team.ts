import path from 'node:path';
import type { Command } from 'commander';
import { OptionError } from '../../../shared/errors';
import { AssignOptions } from '../../../shared/team';
import { resolveRunId } from '../../core/ranking/run-queries';
import { annotatorCopyTargets, assignQueue, writeAnnotatorCopies } from '../../core/store/assignments';
import { openDatabase } from '../../core/store/database';
import { adjudicatedConflicts, agreementReport, agreementSection } from '../../core/team/agreement';
import { parseCount, parseOptions, required, splitList } from '../shared-options';

function parseShare(value: string): number {
  const n = Number(value);
  // The schema names the range; here only "not a number" is caught.
  if (value.trim() === '' || !Number.isFinite(n)) throw new OptionError('overlap', `expected a share between 0 and 1, not "${value}"`);
  return n;
}

const kappaText = (kappa: number | null) => (kappa === null ? 'undefined (every decision the same)' : kappa.toFixed(3));

/** `winnow assign` and `winnow agreement`: relabelling as a team, each annotator in a copy of the project. */
export function registerTeamCommands(program: Command): void {
  program
    .command('assign')
    .description("split a run's queue among annotators, a share of it given to two of them to measure agreement; stored in the project (each grid filters to \"assigned to me\")")
    .argument('<project>', 'project file (.winnow)')
    .requiredOption('--annotators <names>', required('annotators, comma-separated: alice,bob,carol'), splitList)
    .option('--overlap <share>', 'share of the queue given to two annotators', parseShare, 0.1)
    .option('--run <id>', 'run whose queue is split (default: the latest)', parseCount)
    .option('--seed <n>', 'seed for choosing the shared examples', parseCount, 1)
    .option('--out-dir <dir>', 'also write one copy of the project per annotator into this folder')
    .option('--json', 'print the result as JSON', false)
    .action(async (project: string, opts: { annotators: string[]; overlap: number; run?: number; seed: number; outDir?: string; json: boolean }) => {
      parseOptions(AssignOptions.omit({ run: true }), { annotators: opts.annotators, overlap: opts.overlap, seed: opts.seed });
      const db = openDatabase(project);
      try {
        const run = resolveRunId(db, opts.run);
        // Before the assignment changes anything: a copy that cannot be written stops it all.
        if (opts.outDir) annotatorCopyTargets(project, opts.outDir, opts.annotators);
        const summary = assignQueue(db, { run, annotators: opts.annotators, overlap: opts.overlap, seed: opts.seed });
        const copies = opts.outDir ? await writeAnnotatorCopies(db, project, opts.outDir, summary.annotators.map((a) => a.name)) : [];
        if (opts.json) {
          console.log(JSON.stringify({ ...summary, copies }));
          return;
        }
        console.log(`Assigned the ${summary.examples.toLocaleString('en-US')} examples of run ${summary.run}'s queue to ${summary.annotators.length} annotators, ${summary.shared.toLocaleString('en-US')} of them to two (seed ${summary.seed}):`);
        for (const a of summary.annotators) console.log(`  ${a.name}\t${a.assigned.toLocaleString('en-US')} examples (${a.shared.toLocaleString('en-US')} shared)`);
        if (summary.pairs.length) console.log(`  shared by pair: ${summary.pairs.map((p) => `${p.a}+${p.b} ${p.shared}`).join(', ')}`);
        if (copies.length) {
          console.log(`Wrote one copy of ${path.basename(project)} per annotator:`);
          for (const copy of copies) console.log(`  ${copy.annotator}\t${copy.path}`);
        }
      } finally {
        db.close();
      }
    });

  program
    .command('agreement')
    .description("agreement between annotators: per pair the examples both decided and Cohen's kappa, Fleiss' kappa, agreement per label, and the conflicts")
    .argument('<project>', 'project file (.winnow)')
    .option('--json', 'print {pairs: [{a, b, overlap, kappa}], fleiss, labels, conflicts: [{id, decisions: {annotator: outcome}}]}', false)
    .action((project: string, opts: { json: boolean }) => {
      const db = openDatabase(project);
      try {
        const report = agreementReport(db);
        if (opts.json) {
          console.log(JSON.stringify(report, null, 2));
          return;
        }
        const section = agreementSection(db);
        if (!section) {
          console.log(`${project}: fewer than two annotators have decided anything yet; merge their logs with \`winnow decisions import\``);
          return;
        }
        console.log(`Annotators: ${section.annotators.map((a) => `${a.name} (${a.decided.toLocaleString('en-US')} decided)`).join(', ')}`);
        console.log('Pairs (examples both decided, Cohen\'s kappa):');
        for (const pair of report.pairs) console.log(`  ${pair.a} / ${pair.b}\t${pair.overlap.toLocaleString('en-US')}\tkappa ${pair.overlap ? kappaText(pair.kappa) : '-'}`);
        console.log(
          section.fleissExamples
            ? `Fleiss' kappa over the ${section.fleissExamples.toLocaleString('en-US')} examples three or more decided: ${kappaText(section.fleiss)}`
            : "Fleiss' kappa: no example was decided by three or more annotators",
        );
        if (report.labels.length) {
          console.log('Per given label (examples two or more decided):');
          for (const label of report.labels) console.log(`  ${label.label}\t${label.examples} examples, ${label.agreed} agreed (${((100 * label.agreed) / label.examples).toFixed(1)}%), ${label.conflicts} conflicts`);
        }
        const settled = adjudicatedConflicts(db);
        console.log(`Conflicts: ${report.conflicts.length}${settled.size ? ` (${settled.size} adjudicated)` : ''}`);
        for (const conflict of report.conflicts) {
          const adjudication = settled.get(conflict.id);
          console.log(
            `  ${conflict.id}\t${Object.entries(conflict.decisions)
              .map(([who, outcome]) => `${who}: ${outcome}`)
              .join('\t')}${adjudication ? `\tadjudicated by ${adjudication.annotator}: ${adjudication.outcome}` : ''}`,
          );
        }
      } finally {
        db.close();
      }
    });
}
