import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { OptionError, optionErrorFromZod, WinnowError } from '../../../shared/errors';
import { ExportOptions, type ExportResult } from '../../../shared/exporting';
import type { Db } from '../store/database';
import { planChanges } from './change-plan';
import { recordOutcome, splitRowBatches } from './record-selection';
import { requireCurrentRun } from '../ranking/run-queries';
import { decisionCsvLines } from './decisions-csv';
import { datasetName, defaultExportFileName } from './export-names';
import { buildManifest, type OutputRole } from './manifest';
import { PatchWriter, patchFileNames } from './patch-export';
import { rewriteRelation, toSingleLine } from './rewrite-relation';
import { recordExportCommitting, recordExportSettled, recordExportStarted, recoverInterruptedExports } from './export-log';
import { recoverFolder } from '../io/commit-journal';
import { parquetExportSchema } from './parquet-export-schema';
import { ParquetRecordWriter } from '../io/parquet-writer';
import { StagedSet, type StagedFile, type WrittenFile } from './staged-files';

export const ExportDatasetOptions = ExportOptions.extend({
  /** A file, or a folder (existing, or ending in a separator) to get a descriptive file name. */
  outPath: z.string().min(1, 'give the output file'),
  appVersion: z.string().min(1, 'pass the app version for the manifest'),
});
export type ExportDatasetOptions = z.input<typeof ExportDatasetOptions>;

export interface ExportProgress {
  phase: string;
  done: number;
  total: number;
}

export interface ExportJobContext {
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

function cancelled(split: string): WinnowError {
  return new WinnowError('CANCELLED', `Export of ${split} cancelled; no file was written`);
}

/** The data file's path: a folder gets a name that states split, strategy and mode. */
export function resolveOutPath(options: z.output<typeof ExportDatasetOptions>): string {
  const given = options.outPath;
  const isFolder = /[\\/]$/.test(given) || (fs.existsSync(given) && fs.statSync(given).isDirectory());
  return path.resolve(isFolder ? path.join(given, defaultExportFileName(options)) : given);
}

const bad = (option: string, detail: string) => new OptionError(option, detail, 'export option');

/** Checks that the options make sense together and against the project; returns the split id. */
export function checkExportOptions(db: Db, options: ExportOptions): { splitId: number; count: number; sourcePath: string | null } {
  const split = db.prepare('SELECT id, count, source_path AS sourcePath FROM splits WHERE name = ?').get(options.split) as
    | { id: number; count: number; sourcePath: string | null }
    | undefined;
  if (!split) {
    const known = db.prepare('SELECT name FROM splits ORDER BY id').pluck().all() as string[];
    throw new WinnowError('NOT_FOUND', `No split named "${options.split}" in this project${known.length ? ` (splits: ${known.join(', ')})` : ''}`);
  }
  if (options.mode !== 'auto') {
    if (options.strategy) throw bad('strategy', `only applies to mode "auto" (mode is "${options.mode}")`);
    if (options.decisionsOverride) throw bad('decisionsOverride', `only applies to mode "auto" (mode is "${options.mode}")`);
  }
  if (options.mode === 'original' && options.run !== undefined) throw bad('run', 'does not apply to mode "original", which exports the split unchanged');
  if (options.mode === 'original' && options.patch) {
    throw bad('patch', 'needs mode "reviewed" or "auto": an original export changes nothing');
  }
  if (options.mode === 'auto') {
    if (options.run === undefined) throw bad('run', 'mode "auto" needs the run whose flags it applies');
    if (!options.strategy) throw bad('strategy', 'mode "auto" needs a strategy (is, es, esp, cl, knn)');
    if (options.apply === 'both') {
      throw bad('apply', 'mode "auto" writes either the E dataset ("eliminate": flagged examples dropped) or the R dataset ("reannotate": relabelled to the suggestion), not "both"');
    }
  }
  if (options.run !== undefined) {
    const run = db.prepare('SELECT params FROM runs WHERE id = ?').get(options.run) as { params: string } | undefined;
    if (!run) throw new WinnowError('NOT_FOUND', `export option "run": no run ${options.run} in this project`);
    if (options.mode === 'auto') {
      requireCurrentRun(db, options.run, 'an automatic export');
      const used = (JSON.parse(run.params) as { strategies?: string[] }).strategies ?? [];
      if (!used.includes(options.strategy!)) {
        throw bad('strategy', `run ${options.run} did not run ${options.strategy} (it ran ${used.join(', ') || 'none'})`);
      }
      // Without this, a split the run never saw would silently come out unchanged.
      const ranked = db.prepare('SELECT 1 FROM predictions p JOIN examples e ON e.id = p.example_id WHERE p.run_id = ? AND e.split_id = ? LIMIT 1').get(options.run, split.id);
      if (!ranked) throw bad('split', `run ${options.run} did not rank split "${options.split}"`);
    }
  }
  return { splitId: split.id, count: split.count, sourcePath: split.sourcePath };
}

function checkCombination(db: Db, options: z.output<typeof ExportDatasetOptions>): { splitId: number; count: number } {
  const checked = checkExportOptions(db, options);
  const out = resolveOutPath(options);
  if (checked.sourcePath && path.resolve(checked.sourcePath) === out) {
    throw new WinnowError('CONFLICT', `export option "outPath": ${out} is the file split "${options.split}" was imported from; write the export elsewhere so the original stays available`);
  }
  return checked;
}

/**
 * Writes one split as TACRED JSON or JSON Lines with the changes of the chosen mode applied,
 * plus a manifest, a decisions CSV and, when asked, a patch with its eliminated-ids sidecar.
 * Every file is staged under a temporary name and all are renamed into place only once all
 * are complete (the manifest last), so a cancel, an error or a killed process leaves the
 * previous files, if any, exactly as they were.
 */
export async function exportDataset(db: Db, input: ExportDatasetOptions & ExportJobContext): Promise<ExportResult> {
  const { signal, onProgress } = input;
  const checked = ExportDatasetOptions.safeParse(input);
  if (!checked.success) throw optionErrorFromZod(checked.error, 'export option');
  const options = checked.data;
  const progress = (phase: string, done: number, total: number) => onProgress?.({ phase, done, total });
  if (signal?.aborted) throw cancelled(options.split);
  const { splitId, count: total } = checkCombination(db, options);
  const outPath = resolveOutPath(options);
  // A killed export into this folder is finished (or its leftovers removed) before a new one.
  recoverInterruptedExports(db);
  recoverFolder(path.dirname(outPath));
  const runId = options.run ?? null;
  const runCreatedAt = runId === null ? null : (db.prepare('SELECT created_at FROM runs WHERE id = ?').pluck().get(runId) as string);
  const decisionsOverride = options.mode === 'auto' && (options.decisionsOverride ?? false);
  const dataset = datasetName({ ...options, decisionsOverride });

  progress('planning', 0, 1);
  const plan = planChanges(db, { splitId, mode: options.mode, apply: options.apply, runId: options.run, strategy: options.strategy, decisionsOverride, resolve: options.resolve });

  const staged = new StagedSet();
  const exportId = recordExportStarted(db, { split: options.split, dataset, path: outPath });
  try {
    const data = await staged.open(outPath);
    const patchNames = options.patch ? patchFileNames(outPath, options.patch) : null;
    const patchFile = patchNames ? await staged.open(patchNames.patch) : null;
    const eliminatedFile = patchNames ? await staged.open(patchNames.eliminated) : null;
    const patch = options.patch && patchFile && eliminatedFile ? new PatchWriter(options.patch, patchFile, eliminatedFile) : null;
    const csvFile = await staged.open(`${outPath}.decisions.csv`);

    const before = new Map<string, number>();
    const after = new Map<string, number>();
    const bump = (counts: Map<string, number>, label: string) => counts.set(label, (counts.get(label) ?? 0) + 1);
    let written = 0;
    let seen = 0;
    let eliminated = 0;
    let relabelled = 0;
    const parquet = options.format === 'parquet' ? new ParquetRecordWriter(data, await parquetExportSchema(db, splitId, signal), undefined, `winnow ${options.appVersion}`) : null;
    if (options.format === 'json') await data.write('[');
    progress('writing', 0, total);
    for (const rows of splitRowBatches(db, splitId)) {
      for (const row of rows) {
        if (signal?.aborted) throw cancelled(options.split);
        seen++;
        bump(before, row.label);
        const outcome = recordOutcome(plan, row);
        if (outcome.kind === 'eliminated') {
          eliminated++;
          await patch?.eliminate(row.id);
          continue;
        }
        let text = row.raw;
        if (outcome.kind === 'relabelled') {
          text = rewriteRelation(row.raw, outcome.label, `split "${options.split}", record ${row.position} (id "${row.id}")`);
          relabelled++;
          await patch?.relabel(row.id, outcome.label);
        }
        bump(after, outcome.label);
        if (parquet) await parquet.add(JSON.parse(text) as Record<string, unknown>, `split "${options.split}", record ${row.position} (id "${row.id}")`);
        else await data.write(options.format === 'json' ? `${written === 0 ? '\n' : ',\n'}${text}` : `${toSingleLine(text)}\n`);
        written++;
      }
      progress('writing', seen, total);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (options.format === 'json') await data.write(written === 0 ? ']\n' : '\n]\n');
    await parquet?.finish();
    const patchCounts = patch ? await patch.finish() : null;

    progress('decisions', 0, 1);
    let csvRows = -1;
    for (const line of decisionCsvLines(db, { split: options.split, splitId, plan, runId, runCreatedAt, strategy: options.strategy ?? null, apply: options.apply })) {
      await csvFile.write(line);
      csvRows++;
    }
    if (signal?.aborted) throw cancelled(options.split);

    progress('manifest', 0, 1);
    const outputs: { role: OutputRole; file: StagedFile; records?: number }[] = [
      { role: 'data', file: data, records: written },
      ...(patchFile && patchCounts ? [{ role: 'patch' as const, file: patchFile, records: patchCounts.relabels }] : []),
      ...(eliminatedFile && patchCounts ? [{ role: 'eliminated-ids' as const, file: eliminatedFile, records: patchCounts.eliminations }] : []),
      { role: 'decisions-csv', file: csvFile, records: csvRows },
    ];
    const manifest = buildManifest(db, {
      appVersion: options.appVersion,
      createdAt: new Date().toISOString(),
      splitId,
      split: options.split,
      mode: options.mode,
      apply: options.apply,
      strategy: options.strategy ?? null,
      decisionsOverride,
      format: options.format,
      dataset,
      patchStyle: options.patch ?? null,
      runId,
      plan,
      before,
      after,
      eliminated,
      relabelled,
      outputs: outputs.map((o) => ({ role: o.role, file: o.file.seal(), ...(o.records === undefined ? {} : { records: o.records }) })),
    });
    const manifestFile = await staged.open(`${outPath}.manifest.json`);
    await manifestFile.write(`${JSON.stringify(manifest, null, 2)}\n`);

    // Past this point the export is complete; a cancel arriving now would only leave a mix.
    if (signal?.aborted) throw cancelled(options.split);
    progress('committing', 0, 1);
    await staged.commitAll(() => {
      recordExportCommitting(db, exportId, { sha256: data.seal().sha256, records: written, manifestSha256: manifestFile.seal().sha256 });
    });
    recordExportSettled(db, exportId, 'done');
    progress('done', total, total);
    return {
      split: options.split,
      mode: options.mode,
      apply: options.mode === 'original' ? null : options.apply,
      strategy: options.strategy ?? null,
      runId,
      decisionsOverride,
      changedByDecisions: decisionsOverride ? plan.overridden : null,
      dataset,
      format: options.format,
      path: outPath,
      sha256: data.seal().sha256,
      bytes: data.bytes,
      count: written,
      before: seen,
      eliminated,
      relabelled,
      resolve: plan.resolve,
      unresolved: options.mode === 'original' ? 0 : plan.unresolved.length,
      labelsBefore: manifest.counts.before.labels,
      labelsAfter: manifest.counts.after.labels,
      manifest: manifestFile.seal(),
      decisionsCsv: { ...csvFile.seal(), rows: csvRows },
      ...(patchFile && patchCounts && options.patch ? { patch: { ...patchFile.seal(), style: options.patch, entries: patchCounts.relabels } } : {}),
      ...(eliminatedFile && patchCounts ? { eliminatedIds: { ...eliminatedFile.seal(), count: patchCounts.eliminations } } : {}),
      // Every file of the unit, in the manifest's order; the platform adds download URLs.
      outputs: [...outputs.map((o) => ({ role: o.role, path: o.file.path })), { role: 'manifest', path: manifestFile.path }].map((o) => ({ ...o, name: path.basename(o.path), downloadUrl: null })),
    };
  } catch (error) {
    await staged.abortAll();
    recordExportSettled(db, exportId, 'abandoned');
    throw error;
  }
}

