import { z } from 'zod';
import { CleanSetSpec } from '../../../shared/ranking';
import { resolveCleanSet } from '../ranking/clean-set';
import type { Db } from '../store/database';

const RunCleanParams = z.object({ clean: z.array(CleanSetSpec).default([]), cleanReference: z.string().optional() });

/**
 * Eval splits whose labels went into the flags of the run behind the automatic variants: ranked
 * in that run (the built-in model learned from them, IS anchors and KNN votes came from them, CL
 * counted them) or part of its clean set (ES and ESP anchors; the model learned from it). Scores
 * on such a split are not independent of the cleaning. Measured on SemEval-2010 with the
 * benchmark's noise (seed 1): RN from four rankings that also ranked the held-out split
 * recovered 88-97% of the noisy-to-oracle gap on it, against 57-67% from the same four rankings
 * of the training split alone.
 */
export function evalLeakWarnings(db: Db, runId: number, train: string, evals: readonly { name: string; splitId: number; exampleIds: readonly number[] }[]): string[] {
  const warnings: string[] = [];
  const rankedIn = db.prepare('SELECT count(*) FROM predictions p JOIN examples e ON e.id = p.example_id WHERE p.run_id = ? AND e.split_id = ?').pluck();
  const params = RunCleanParams.safeParse(JSON.parse(db.prepare('SELECT params FROM runs WHERE id = ?').pluck().get(runId) as string));
  let clean: ReadonlySet<number> = new Set();
  if (params.success && params.data.clean.length) {
    try {
      clean = new Set(resolveCleanSet(db, params.data.clean, params.data.cleanReference).labels.keys());
    } catch {
      // A clean set that no longer resolves (its reference removed) cannot be checked here.
    }
  }
  const count = (n: number) => n.toLocaleString('en-US');
  for (const split of evals) {
    const ranked = rankedIn.get(runId, split.splitId) as number;
    if (ranked > 0) {
      warnings.push(
        `run ${runId} also ranked ${count(ranked)} examples of "${split.name}", so their labels went into the flags behind the automatic variants: those variants' scores on "${split.name}" are optimistic. ` +
          `For an independent measure, rank with --splits ${train} (the Rank dialog's Ranked splits) and evaluate on a split outside the ranking.`,
      );
      continue;
    }
    const inClean = split.exampleIds.reduce((n, id) => n + (clean.has(id) ? 1 : 0), 0);
    if (inClean > 0) {
      warnings.push(
        `${count(inClean)} examples of "${split.name}" are in run ${runId}'s clean set, so their labels went into the flags behind the automatic variants: those variants' scores on "${split.name}" are optimistic. ` +
          'For an independent measure, evaluate on a split outside the clean set.',
      );
    }
  }
  return warnings;
}
