import path from 'node:path';
import { Option, type Command } from 'commander';
import { APPLY_CHOICES, EXPORT_MODES, ExportOptions, PATCH_STYLES, SPLIT_FORMATS, type ExportOptionsInput, type ExportResult } from '../../../shared/exporting';
import { ReferenceName } from '../../../shared/names';
import { STRATEGY_NAMES } from '../../../shared/strategies';
import { RESOLVE_POLICIES } from '../../../shared/team';
import { OptionError } from '../../../shared/errors';
import { exportDataset } from '../../core/export/export-modes';
import { saveReport } from '../../core/export/report-save';
import { resolveRunId } from '../../core/ranking/run-queries';
import { openDatabase } from '../../core/store/database';
import { progressBar } from '../progress';
import { parseCount, parseOptions, required } from '../shared-options';

interface ExportFlags {
  split: string;
  out: string;
  mode: string;
  run?: number;
  strategy?: string;
  apply?: string;
  decisionsOverride: boolean;
  patch?: string;
  format: string;
  resolve?: string;
  json: boolean;
}

/** `winnow export` and `winnow report`: what leaves the project. */
export function registerExportCommands(program: Command, appVersion: string): void {
  program
    .command('export')
    .description("write a split: as imported (original), with the human decisions (reviewed), or with a run's flags applied (auto: TACRED-E/R, EN/RN, ENP/RNP…); a manifest and a decisions CSV go beside it")
    .argument('<project>', 'project file (.winnow)')
    .requiredOption('--split <name>', required('split to export'))
    .requiredOption('--out <file>', required('output file (or an existing folder: the file is named after split, strategy and mode)'))
    .addOption(new Option('--mode <mode>', 'what to write').choices(EXPORT_MODES).default('original'))
    .option('--run <id>', 'run whose flags are applied (auto; default: the latest)', parseCount)
    .addOption(new Option('--strategy <name>', 'strategy whose flags are applied (auto)').choices(STRATEGY_NAMES).argParser((v) => v.toLowerCase()))
    .addOption(new Option('--apply <what>', 'eliminate (drop), reannotate (relabel) or both (default: both; eliminate in auto mode)').choices(APPLY_CHOICES))
    .option('--decisions-override', 'auto: human decisions win over the flags where they exist (off: exactly the paper\'s dataset)', false)
    .addOption(new Option('--patch <style>', 'also write the changes as a patch: tacrev [{id, relation}] or retacred {id: label}').choices(PATCH_STYLES))
    .addOption(new Option('--format <format>', 'output format').choices(SPLIT_FORMATS).default('json'))
    .addOption(
      new Option('--resolve <policy>', 'where annotators disagree: adjudicated (the adjudication, else what all agree on; the rest left as it was and listed in the manifest), majority (also a strict majority), unanimous (only what all agree on)').choices(
        RESOLVE_POLICIES,
      ),
    )
    .option('--json', 'print the result as JSON', false)
    .action(async (project: string, flags: ExportFlags) => {
      const result = await runExport(project, flags, appVersion);
      if (flags.json) console.log(JSON.stringify(result));
      else printExport(result);
    });

  program
    .command('report')
    .description('write a self-contained HTML report of a run: label distributions, flags per strategy and overlap, decisions over time, precision/recall against a reference')
    .argument('<project>', 'project file (.winnow)')
    .option('--run <id>', 'run id (default: the latest)', parseCount)
    .option('--reference <name>', 'reference set to evaluate against')
    .option('--comparison <id>', 'retraining comparison to show (default: the run\'s latest; `winnow compare` prints the id)', parseCount)
    .requiredOption('--out <file>', required('report file (.html)'))
    .action(async (project: string, opts: { run?: number; reference?: string; comparison?: number; out: string }) => {
      const { reference } = parseOptions(ExportReportFlags, { reference: opts.reference });
      const db = openDatabase(project);
      try {
        const runId = resolveRunId(db, opts.run);
        const written = await saveReport(db, path.resolve(opts.out), { runId, appVersion, ...(reference ? { reference } : {}), ...(opts.comparison ? { comparison: opts.comparison } : {}) });
        console.log(`Wrote the report of run ${runId} to ${written}`);
      } finally {
        db.close();
      }
    });
}

const ExportReportFlags = ExportOptions.pick({}).extend({ reference: ReferenceName.optional() });

/** The flags through the app's own export schema; the run defaults to the latest for auto mode. */
export async function runExport(project: string, flags: Omit<ExportFlags, 'json'>, appVersion: string, quiet = false): Promise<ExportResult> {
  // The paper's datasets are either E or R: auto mode defaults to eliminate, reviewed to both.
  const apply = flags.apply ?? (flags.mode === 'auto' ? 'eliminate' : 'both');
  if (flags.resolve !== undefined && (flags.mode === 'original' || (flags.mode === 'auto' && !flags.decisionsOverride))) {
    throw new OptionError('resolve', `settles the human decisions, which ${flags.mode === 'original' ? 'mode "original" does not apply' : 'mode "auto" applies only with --decisions-override'}`, 'export option');
  }
  const options = parseOptions(ExportOptions, { ...flags, apply } as ExportOptionsInput);
  const db = openDatabase(project);
  const bar = progressBar(`export ${options.split}`, quiet);
  try {
    const run = options.mode === 'auto' ? resolveRunId(db, options.run) : options.run;
    if (run !== undefined && options.mode !== 'auto') resolveRunId(db, run);
    return await exportDataset(db, { ...options, ...(run === undefined ? {} : { run }), outPath: flags.out, appVersion, onProgress: (p) => bar.update(p.phase, p.done, p.total) });
  } finally {
    bar.stop();
    db.close();
  }
}

function printExport(result: ExportResult): void {
  console.log(`Wrote ${result.count.toLocaleString('en-US')} of ${result.before.toLocaleString('en-US')} examples of "${result.split}" (${result.dataset}) to ${result.path} (sha256 ${result.sha256})`);
  if (result.eliminated || result.relabelled) console.log(`  eliminated ${result.eliminated}, relabelled ${result.relabelled}`);
  if (result.changedByDecisions !== null) console.log(`  human decisions changed ${result.changedByDecisions} of these records against the flags alone`);
  if (result.unresolved) console.log(`  ${result.unresolved} example${result.unresolved === 1 ? '' : 's'} the annotators disagree on left as ${result.unresolved === 1 ? 'it was' : 'they were'} (--resolve ${result.resolve}; listed in the manifest)`);
  console.log(`  manifest ${result.manifest.path}`);
  console.log(`  decisions ${result.decisionsCsv.path}`);
  if (result.patch) console.log(`  patch (${result.patch.style}) ${result.patch.path}`);
  if (result.eliminatedIds) console.log(`  eliminated ids ${result.eliminatedIds.path}`);
}
