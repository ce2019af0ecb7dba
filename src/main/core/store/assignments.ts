import fs from 'node:fs';
import path from 'node:path';
import { OptionError, WinnowError } from '../../../shared/errors';
import { AssignOptions, type AssignmentSummary } from '../../../shared/team';
import { Rng, mixSeed } from '../random/seeded-rng';
import type { Db } from './database';
import { safeFileName } from './decision-exchange';

/**
 * Splits a run's triage queue among annotators and stores the split in the project (replacing
 * an earlier one). Every example goes to one annotator, in turn down the queue, so each gets
 * a like share of high and low ranks; a seeded sample of `overlap` of the queue also goes to
 * a second annotator, the pairs taken in turn so that every pair shares about as many
 * examples (their agreement is measured on those).
 */
export function assignQueue(db: Db, input: { run: number; annotators: string[]; overlap?: number; seed?: number }): AssignmentSummary {
  const parsed = AssignOptions.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OptionError(String(issue?.path[0] ?? 'annotators'), issue?.message ?? 'invalid', 'assign option');
  }
  const options = parsed.data;
  const m = options.annotators.length;
  if (m < 2 && options.overlap > 0) throw new OptionError('overlap', 'needs two or more annotators to share examples (give --overlap 0 for one)', 'assign option');
  if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(options.run)) throw new WinnowError('NOT_FOUND', `No run ${options.run} in this project`);
  const queue = db.prepare('SELECT example_id FROM queue WHERE run_id = ? ORDER BY rank').pluck().all(options.run) as number[];
  if (!queue.length) throw new WinnowError('INVALID_INPUT', `Run ${options.run} flagged nothing: there is no queue to assign`);

  const shared = Math.round(options.overlap * queue.length);
  const sample = Int32Array.from(queue.keys());
  new Rng(mixSeed(options.seed, 0x5a551)).sampleInPlace(sample, shared);
  const second = new Map<number, number>();
  const turns = new Array<number>(m).fill(0);
  for (const index of [...sample.subarray(0, shared)].sort((a, b) => a - b)) {
    const primary = index % m;
    second.set(index, (primary + 1 + (turns[primary]!++ % (m - 1))) % m);
  }
  const createdAt = new Date().toISOString();
  db.transaction(() => {
    db.exec('DELETE FROM assignments; DELETE FROM assignment_plan;');
    db.prepare('INSERT INTO assignment_plan (id, run_id, seed, overlap, annotators, created_at) VALUES (1, ?, ?, ?, ?, ?)').run(options.run, options.seed, options.overlap, JSON.stringify(options.annotators), createdAt);
    const insert = db.prepare('INSERT INTO assignments (annotator, example_id) VALUES (?, ?)');
    queue.forEach((example, index) => {
      insert.run(options.annotators[index % m], example);
      const other = second.get(index);
      if (other !== undefined) insert.run(options.annotators[other], example);
    });
  }).immediate();
  return readAssignment(db)!;
}

/** The stored assignment with its counts, or null when the queue was never assigned. */
export function readAssignment(db: Db): AssignmentSummary | null {
  const plan = db.prepare('SELECT run_id AS run, seed, overlap, annotators, created_at AS createdAt FROM assignment_plan WHERE id = 1').get() as
    | { run: number; seed: number; overlap: number; annotators: string; createdAt: string }
    | undefined;
  if (!plan) return null;
  const names = JSON.parse(plan.annotators) as string[];
  const perAnnotator = new Map((db.prepare('SELECT annotator, count(*) AS n FROM assignments GROUP BY annotator').all() as { annotator: string; n: number }[]).map((r) => [r.annotator, r.n]));
  const sharedPer = new Map(
    (
      db
        .prepare('SELECT a.annotator, count(*) AS n FROM assignments a WHERE a.example_id IN (SELECT example_id FROM assignments GROUP BY example_id HAVING count(*) > 1) GROUP BY a.annotator')
        .all() as { annotator: string; n: number }[]
    ).map((r) => [r.annotator, r.n]),
  );
  const pairs = db
    .prepare('SELECT x.annotator AS a, y.annotator AS b, count(*) AS shared FROM assignments x JOIN assignments y ON y.example_id = x.example_id AND y.annotator > x.annotator GROUP BY 1, 2 ORDER BY 1, 2')
    .all() as { a: string; b: string; shared: number }[];
  return {
    run: plan.run,
    seed: plan.seed,
    overlap: plan.overlap,
    createdAt: plan.createdAt,
    examples: db.prepare('SELECT count(DISTINCT example_id) FROM assignments').pluck().get() as number,
    shared: db.prepare('SELECT count(*) FROM (SELECT example_id FROM assignments GROUP BY example_id HAVING count(*) > 1)').pluck().get() as number,
    annotators: names.map((name) => ({ name, assigned: perAnnotator.get(name) ?? 0, shared: sharedPer.get(name) ?? 0 })),
    pairs,
  };
}

/** The ids of the examples assigned to one annotator. */
export function assignedExampleIds(db: Db, annotator: string): Set<string> {
  return new Set(db.prepare('SELECT e.ext_id FROM assignments a JOIN examples e ON e.id = a.example_id WHERE a.annotator = ?').pluck().all(annotator) as string[]);
}

/** Where `--out-dir` puts an annotator's copy of the project. */
export function annotatorCopyPath(projectPath: string, outDir: string, annotator: string): string {
  return path.join(path.resolve(outDir), `${path.basename(projectPath, '.winnow')}.${safeFileName(annotator)}.winnow`);
}

/**
 * One copy of the project per annotator (SQLite's backup API, consistent while the project is
 * open), each written under a temporary name and renamed when complete. Refuses before writing
 * anything when a copy's file exists already: it may hold someone's work.
 */
export async function writeAnnotatorCopies(db: Db, projectPath: string, outDir: string, annotators: readonly string[]): Promise<{ annotator: string; path: string }[]> {
  const targets = annotatorCopyTargets(projectPath, outDir, annotators);
  fs.mkdirSync(path.resolve(outDir), { recursive: true });
  for (const target of targets) {
    const temp = `${target.path}.${process.pid}.tmp`;
    try {
      await db.backup(temp);
      fs.renameSync(temp, target.path);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw error;
    }
  }
  return targets;
}

/** The copies' files, checked before anything is written: distinct names, none there yet. */
export function annotatorCopyTargets(projectPath: string, outDir: string, annotators: readonly string[]): { annotator: string; path: string }[] {
  const targets = annotators.map((annotator) => ({ annotator, path: annotatorCopyPath(projectPath, outDir, annotator) }));
  const seen = new Map<string, string>();
  for (const target of targets) {
    const clash = seen.get(target.path);
    if (clash) throw new OptionError('annotators', `"${clash}" and "${target.annotator}" would get the same copy file ${path.basename(target.path)}; rename one`, 'assign option');
    seen.set(target.path, target.annotator);
    if (fs.existsSync(target.path)) throw new WinnowError('CONFLICT', `${target.path} exists already (it may hold ${target.annotator}'s work); remove it or choose another --out-dir`);
  }
  return targets;
}
