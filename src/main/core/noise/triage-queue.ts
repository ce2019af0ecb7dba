/**
 * The triage queue: the union of every strategy's flags, one row per example (DESIGN section 1:
 * "each row shows which strategies flagged it, their scores and suggestions. Default order:
 * number of agreeing strategies, then score").
 *
 * "Agreeing" counts the strategies that flagged the example, whatever they suggested: they
 * agree that the given label is suspect. The row's single suggestion is the label most of
 * them suggest; a tie goes to the label backed by the higher single score, then to the smaller
 * label index.
 *
 * Within an agreement count, rows are ordered by topScore: the highest score among the
 * strategies that share noiseScore's scale (IS, ES, ESP, KNN; STRATEGIES[s].sharedScore), and
 * rows that only CL scored come after them, by CL's score (cleanlab's label quality, another
 * scale). The highest score over every strategy let CL's, often near 1 and tied, decide the
 * order of the rows every strategy flagged: on SemEval-2010 with injected noise the first 50
 * rows were 78-94% noisy that way and 96-98% with noiseScore (BENCHMARKS.md). topScore is a
 * cue for ordering, not a calibrated probability.
 *
 * ES and ESP are not independent: ESP's verdicts on negatives are ES's verdicts. Passing both
 * lists makes every ES-flagged negative count twice, so a caller that wants agreement to mean
 * independent evidence passes one of them.
 */
import { STRATEGIES, type StrategyName } from '../../../shared/strategies';
import type { Flag } from './strategy-types';

export interface StrategyVerdict {
  score: number;
  suggested: number;
}

export interface QueueEntry {
  /** Example index. */
  index: number;
  strategies: Partial<Record<StrategyName, StrategyVerdict>>;
  /** How many strategies flagged the example. */
  agreement: number;
  /** Highest score over those strategies that share noiseScore's scale; CL's when only CL flagged. */
  topScore: number;
  /** Label suggested by most of those strategies (ties: higher score, then smaller label). */
  suggested: number;
}

interface Collected {
  index: number;
  verdicts: Map<StrategyName, StrategyVerdict>;
}

/**
 * `flagsByStrategy` is usually one list per strategy, but lists are not trusted to be: if one
 * strategy flags the same example twice (say, two runs of it were passed), the higher-scored
 * verdict is kept and the strategy still counts once.
 */
export function mergeFlags(flagsByStrategy: readonly (readonly Flag[])[]): QueueEntry[] {
  const byIndex = new Map<number, Collected>();
  for (const flags of flagsByStrategy) {
    for (const flag of flags) {
      let row = byIndex.get(flag.index);
      if (row === undefined) {
        row = { index: flag.index, verdicts: new Map() };
        byIndex.set(flag.index, row);
      }
      const seen = row.verdicts.get(flag.strategy);
      if (seen === undefined || flag.score > seen.score) {
        row.verdicts.set(flag.strategy, { score: flag.score, suggested: flag.suggested });
      }
    }
  }

  // Each entry with whether a strategy on noiseScore's scale flagged it, worked out once here
  // rather than in the sort's comparator (a million-example run sorts about 250k rows).
  const queue: { entry: QueueEntry; shared: boolean }[] = [];
  for (const { index, verdicts } of byIndex.values()) {
    const strategies: Partial<Record<StrategyName, StrategyVerdict>> = {};
    let topScore = -Infinity;
    let ownScaleTop = -Infinity;
    // label -> [strategies suggesting it, best score among them]
    const support = new Map<number, { votes: number; best: number }>();
    for (const [name, verdict] of verdicts) {
      strategies[name] = verdict;
      if (!STRATEGIES[name].sharedScore) ownScaleTop = Math.max(ownScaleTop, verdict.score);
      else if (verdict.score > topScore) topScore = verdict.score;
      const s = support.get(verdict.suggested);
      if (s === undefined) support.set(verdict.suggested, { votes: 1, best: verdict.score });
      else {
        s.votes++;
        if (verdict.score > s.best) s.best = verdict.score;
      }
    }
    let suggested = -1;
    let votes = 0;
    let best = -Infinity;
    for (const [label, s] of support) {
      if (
        suggested === -1 ||
        s.votes > votes ||
        (s.votes === votes && (s.best > best || (s.best === best && label < suggested)))
      ) {
        suggested = label;
        votes = s.votes;
        best = s.best;
      }
    }
    const shared = topScore !== -Infinity;
    queue.push({ entry: { index, strategies, agreement: verdicts.size, topScore: shared ? topScore : ownScaleTop, suggested }, shared });
  }
  queue.sort(({ entry: a, shared: sa }, { entry: b, shared: sb }) => b.agreement - a.agreement || Number(sb) - Number(sa) || b.topScore - a.topScore || a.index - b.index);
  return queue.map((q) => q.entry);
}
