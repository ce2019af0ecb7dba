import path from 'node:path';
import type { Db } from '../store/database';
import { readNegativeLabel } from '../store/project-summary';
import type { ChangePlan } from './change-plan';
import type { ApplyChoice, ExportMode } from '../../../shared/exporting';
import type { ResolvePolicy } from '../../../shared/team';
import type { WrittenFile } from './staged-files';

export type OutputRole = 'data' | 'patch' | 'eliminated-ids' | 'decisions-csv';

export interface LabelCounts {
  total: number;
  labels: Record<string, number>;
}

export interface SplitInput {
  name: string;
  /** exported: this file; ranked: the run ranked it; clean: the run trusted it as its clean set. */
  role: 'exported' | 'ranked' | 'clean';
  sourcePath: string | null;
  sha256: string | null;
  format: string;
  count: number;
  importedAt: string;
}

export interface ExportManifest {
  kind: 'winnow-export-manifest';
  manifestVersion: 1;
  appVersion: string;
  createdAt: string;
  export: {
    split: string;
    mode: ExportMode;
    /** Null for the original mode, which applies nothing. */
    apply: ApplyChoice | null;
    strategy: string | null;
    decisionsOverride: boolean;
    format: 'json' | 'jsonl' | 'parquet';
    dataset: string;
    patchStyle: string | null;
  };
  inputs: {
    splits: SplitInput[];
    referenceSets: { name: string; style: string; sourcePath: string; sha256: string; count: number }[];
  };
  run: {
    id: number;
    createdAt: string;
    modelKind: string;
    modelName: string;
    modelHash: string;
    provider: string;
    providersSkipped: unknown;
    params: unknown;
    timings: unknown;
    labelOrder: unknown;
    summary: unknown;
    /** The negative label the run ranked with. */
    negativeLabel: string;
  } | null;
  /** The project's negative label when the export was written. */
  negativeLabel: string;
  modelHash: string | null;
  decisions: {
    /** Current decision per example of this split, by action. */
    current: { keep: number; eliminate: number; reannotate: number };
    /** Records in the append-only log for this split, undos and redos included. */
    logRecords: number;
    /** Decisions this export acted on. */
    applied: { eliminate: number; reannotate: number };
    /**
     * How the annotators' decisions were settled per example (see ResolvePolicy): how many
     * examples one annotator decided, all agreed on, a majority or an adjudication settled.
     */
    resolution: { policy: ResolvePolicy; annotators: string[]; single: number; unanimous: number; majority: number; adjudication: number; unresolved: number };
    /** Examples the annotators disagree on that this export left as they were, with each annotator's outcome. */
    unresolved: { id: string; decisions: Record<string, string> }[];
  };
  automatic: { strategy: string; flagged: number; applied: number; overriddenByDecisions: number } | null;
  counts: { before: LabelCounts; after: LabelCounts; eliminated: number; relabelled: number };
  outputs: { role: OutputRole; file: string; sha256: string; bytes: number; records?: number }[];
}

interface RunRow {
  id: number;
  created_at: string;
  model_kind: string;
  model_name: string;
  model_hash: string;
  provider: string;
  providers_skipped: string;
  params: string;
  timings: string;
  label_order: string;
  summary: string;
  negative_label: string;
}

/** Stored JSON columns are written by Winnow; a damaged one is shown as text, not fatal. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function labelCounts(counts: Map<string, number>): LabelCounts {
  const labels: Record<string, number> = {};
  let total = 0;
  for (const name of [...counts.keys()].sort()) {
    const n = counts.get(name)!;
    if (n === 0) continue;
    labels[name] = n;
    total += n;
  }
  return { total, labels };
}

export interface ManifestInput {
  appVersion: string;
  createdAt: string;
  splitId: number;
  split: string;
  mode: ExportMode;
  apply: ApplyChoice;
  strategy: string | null;
  decisionsOverride: boolean;
  format: 'json' | 'jsonl' | 'parquet';
  dataset: string;
  patchStyle: string | null;
  runId: number | null;
  plan: ChangePlan;
  before: Map<string, number>;
  after: Map<string, number>;
  eliminated: number;
  relabelled: number;
  outputs: { role: OutputRole; file: WrittenFile; records?: number }[];
}

/** Everything needed to tell later what an export is and reproduce it. */
export function buildManifest(db: Db, input: ManifestInput): ExportManifest {
  const splitRow = db.prepare('SELECT name, source_path AS sourcePath, source_sha256 AS sha256, coalesce(source_format, format) AS format, count, imported_at AS importedAt FROM splits WHERE id = ?');
  const exported = splitRow.get(input.splitId) as Omit<SplitInput, 'role'>;
  const splits: SplitInput[] = [{ ...exported, role: 'exported' }];
  const referenceSets: ExportManifest['inputs']['referenceSets'] = [];
  let run: ExportManifest['run'] = null;
  if (input.runId !== null) {
    const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(input.runId) as RunRow;
    run = {
      id: row.id,
      createdAt: row.created_at,
      modelKind: row.model_kind,
      modelName: row.model_name,
      modelHash: row.model_hash,
      provider: row.provider,
      providersSkipped: parsed(row.providers_skipped),
      params: parsed(row.params),
      timings: parsed(row.timings),
      labelOrder: parsed(row.label_order),
      summary: parsed(row.summary),
      negativeLabel: row.negative_label,
    };
    // The run learnt from every split it ranked, so they are inputs of this export too.
    const ranked = db
      .prepare('SELECT DISTINCT e.split_id FROM predictions p JOIN examples e ON e.id = p.example_id WHERE p.run_id = ? ORDER BY e.split_id')
      .pluck()
      .all(input.runId) as number[];
    for (const id of ranked) if (id !== input.splitId) splits.push({ ...(splitRow.get(id) as Omit<SplitInput, 'role'>), role: 'ranked' });
    // Runs stored a single clean source before the clean set could be several; both read here.
    const stored = run.params as { clean?: unknown; cleanReference?: string } | null;
    const sources = (Array.isArray(stored?.clean) ? stored.clean : stored?.clean ? [stored.clean] : []) as { kind?: string; name?: string }[];
    for (const source of sources) {
      if (source.kind !== 'split' || !source.name || splits.some((s) => s.name === source.name)) continue;
      const id = db.prepare('SELECT id FROM splits WHERE name = ?').pluck().get(source.name) as number | undefined;
      if (id !== undefined) splits.push({ ...(splitRow.get(id) as Omit<SplitInput, 'role'>), role: 'clean' });
    }
    const names = new Set(sources.filter((c) => c.kind === 'reference' && c.name).map((c) => c.name!));
    if (stored?.cleanReference) names.add(stored.cleanReference);
    for (const name of names) {
      const ref = db
        .prepare('SELECT name, style, source_path AS sourcePath, source_sha256 AS sha256, count FROM reference_sets WHERE name = ?')
        .get(name) as ExportManifest['inputs']['referenceSets'][number] | undefined;
      if (ref) referenceSets.push(ref);
    }
  }
  const current = { keep: 0, eliminate: 0, reannotate: 0 };
  const settled = { single: 0, unanimous: 0, majority: 0, adjudication: 0 };
  for (const d of input.plan.decisions) {
    current[d.action]++;
    settled[d.resolution]++;
  }
  const annotators = db
    .prepare('SELECT DISTINCT s.annotator FROM annotator_state s JOIN examples e ON e.id = s.example_id WHERE e.split_id = ? ORDER BY 1')
    .pluck()
    .all(input.splitId) as string[];
  const unresolved = input.mode === 'original' ? [] : input.plan.unresolved.map((u) => ({ id: u.id, decisions: u.decisions }));
  const applied = { eliminate: 0, reannotate: 0 };
  let autoApplied = 0;
  for (const change of input.plan.changes.values()) {
    if (change.source === 'human') applied[change.action]++;
    else autoApplied++;
  }
  const logRecords = db.prepare('SELECT count(*) FROM decisions d JOIN examples e ON e.id = d.example_id WHERE e.split_id = ?').pluck().get(input.splitId) as number;
  return {
    kind: 'winnow-export-manifest',
    manifestVersion: 1,
    appVersion: input.appVersion,
    createdAt: input.createdAt,
    export: {
      split: input.split,
      mode: input.mode,
      apply: input.mode === 'original' ? null : input.apply,
      strategy: input.strategy,
      decisionsOverride: input.decisionsOverride,
      format: input.format,
      dataset: input.dataset,
      patchStyle: input.patchStyle,
    },
    inputs: { splits, referenceSets },
    negativeLabel: readNegativeLabel(db),
    run,
    modelHash: run?.modelHash ?? null,
    decisions: {
      current,
      logRecords,
      applied,
      resolution: { policy: input.plan.resolve, annotators, ...settled, unresolved: unresolved.length },
      unresolved,
    },
    automatic:
      input.mode === 'auto'
        ? { strategy: input.strategy ?? '', flagged: input.plan.flags.length, applied: autoApplied, overriddenByDecisions: input.plan.overridden }
        : null,
    counts: { before: labelCounts(input.before), after: labelCounts(input.after), eliminated: input.eliminated, relabelled: input.relabelled },
    outputs: input.outputs.map((o) => ({
      role: o.role,
      // Outputs sit beside the manifest; a bare name keeps the set movable.
      file: path.basename(o.file.path),
      sha256: o.file.sha256,
      bytes: o.file.bytes,
      ...(o.records === undefined ? {} : { records: o.records }),
    })),
  };
}
