import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import { StrategyName } from '../ranking/rank-options';
import { resolveRunId } from '../ranking/run-queries';
import { openDatabase } from '../store/database';
import { exportDataset, type ExportProgress, type ExportSummary } from './export-modes';
import { buildReportHtml } from './report-html';
import { StagedSet } from './staged-files';

export interface ExportCliOptions {
  split: string;
  mode: 'original' | 'reviewed' | 'auto';
  run?: number;
  strategy?: string;
  apply: 'eliminate' | 'reannotate' | 'both';
  out: string;
  patch?: 'tacrev' | 'retacred';
  format: 'json' | 'jsonl';
  decisionsOverride?: boolean;
  appVersion: string;
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
}

const bad = (message: string) => new WinnowError('INVALID_INPUT', message);

/**
 * Checks the flags together before touching the project, with messages in the CLI's own
 * words (`--strategy`, not the option's field name).
 */
export function checkExportFlags(opts: ExportCliOptions): void {
  if (!['original', 'reviewed', 'auto'].includes(opts.mode)) throw bad(`--mode takes original, reviewed or auto, not "${opts.mode}"`);
  if (!['eliminate', 'reannotate', 'both'].includes(opts.apply)) throw bad(`--apply takes eliminate, reannotate or both, not "${opts.apply}"`);
  if (!['json', 'jsonl'].includes(opts.format)) throw bad(`--format takes json or jsonl, not "${opts.format}"`);
  if (opts.patch !== undefined && !['tacrev', 'retacred'].includes(opts.patch)) throw bad(`--patch takes tacrev or retacred, not "${opts.patch}"`);
  if (opts.strategy !== undefined && !StrategyName.safeParse(opts.strategy.toLowerCase()).success) {
    throw bad(`--strategy takes is, es, esp, cl or knn, not "${opts.strategy}"`);
  }
  if (opts.run !== undefined && (!Number.isInteger(opts.run) || opts.run < 1)) throw bad(`--run takes a run number (see \`winnow runs\`), not "${opts.run}"`);
  if (opts.mode === 'auto') {
    if (!opts.strategy) throw bad('--mode auto needs --strategy (is, es, esp, cl or knn): the flags of which strategy to apply');
    if (opts.apply === 'both') {
      throw bad('--mode auto needs --apply eliminate (the E dataset: flagged examples dropped) or --apply reannotate (the R dataset: relabelled to the suggestion), not both');
    }
  } else {
    if (opts.strategy) throw bad(`--strategy only applies to --mode auto (got --mode ${opts.mode})`);
    if (opts.decisionsOverride) throw bad(`--decisions-override only applies to --mode auto (got --mode ${opts.mode})`);
    if (opts.mode === 'original' && opts.run !== undefined) throw bad('--run does not apply to --mode original, which exports the split unchanged');
    if (opts.mode === 'original' && opts.patch) throw bad('--patch needs --mode reviewed or auto: --mode original changes nothing');
  }
}

/** `winnow export`: one split, in the chosen mode, with manifest, decisions CSV and patch. */
export async function runExportCli(projectPath: string, opts: ExportCliOptions): Promise<ExportSummary> {
  checkExportFlags(opts);
  const db = openDatabase(projectPath);
  try {
    const runId = opts.mode === 'auto' ? resolveRunId(db, opts.run) : opts.run;
    if (runId !== undefined && opts.mode !== 'auto') resolveRunId(db, runId);
    return await exportDataset(db, {
      split: opts.split,
      mode: opts.mode,
      ...(runId === undefined ? {} : { runId }),
      ...(opts.strategy ? { strategy: opts.strategy.toLowerCase() as StrategyName } : {}),
      apply: opts.apply,
      decisionsOverride: opts.decisionsOverride ?? false,
      format: opts.format,
      outPath: opts.out,
      ...(opts.patch ? { patch: opts.patch } : {}),
      appVersion: opts.appVersion,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  } finally {
    db.close();
  }
}

export interface ReportCliSummary {
  path: string;
  runId: number;
  sha256: string;
  bytes: number;
}

/** `winnow report`: the self-contained HTML report of a run (the latest by default). */
export async function runReportCli(projectPath: string, opts: { run?: number; reference?: string; out: string; appVersion: string }): Promise<ReportCliSummary> {
  if (opts.run !== undefined && (!Number.isInteger(opts.run) || opts.run < 1)) throw bad(`--run takes a run number (see \`winnow runs\`), not "${opts.run}"`);
  if (opts.reference !== undefined && !opts.reference.trim()) throw bad('--reference takes the name of an imported reference set');
  const db = openDatabase(projectPath);
  try {
    const runId = resolveRunId(db, opts.run);
    const html = buildReportHtml(db, { runId, appVersion: opts.appVersion, ...(opts.reference ? { reference: opts.reference } : {}) });
    const staged = new StagedSet();
    try {
      const file = await staged.open(path.resolve(opts.out));
      await file.write(html);
      const [written] = await staged.commitAll();
      return { path: written!.path, runId, sha256: written!.sha256, bytes: written!.bytes };
    } catch (error) {
      await staged.abortAll();
      throw error;
    }
  } finally {
    db.close();
  }
}
