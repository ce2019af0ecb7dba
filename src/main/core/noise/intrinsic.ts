/**
 * IS, the intrinsic strategy of Parekh et al. (DESIGN section 1): positives are trusted, and a
 * positive the model predicts as negative (an anchor) points at negatives that look like it.
 *
 *   A = { x in P : prediction(x) = negative }
 *   each anchor a votes for each of its k nearest neighbours n among N with (y(a), sim(a, n));
 *   n is flagged, suggested = the label with the largest summed weight (ties: smaller label
 *   index).
 *
 * Trusted anchors (the default; `anchorMinSelfProb` 0 is the paper's rule): with random noise
 * some "positives" are negatives relabelled, the model rightly predicts them negative, and
 * their neighbours are clean negatives. An anchor counts only when the model still gives its
 * own label at least `anchorMinSelfProb` (TRUSTED_ANCHOR_MIN_PROB): a hard positive, not a
 * negative with a wrong label. Measured with injected noise: on generated data this lifts IS
 * from 26% to 96% precision; on SemEval-2010, where few anchors are mislabelled, it trades
 * recall (0.49 to 0.37) for precision (0.60 to 0.65), see BENCHMARKS.md.
 *
 * Score: noiseScore (flag-scores.ts), the model's out-of-sample probability of the suggested
 * label, times how reliable the model's calls of that label on negatives are, times the
 * anchors' similarity-weighted vote margin for it. 1 - p(negative), the former score, ordered
 * the flags (SemEval-2010 with injected noise: top fifth 0.85 to 0.87 noisy) but ranked every
 * suggested label alike, although the model's false negatives of some labels are mostly
 * right and of others mostly wrong; the new score's top fifth is 0.91 to 0.93 noisy.
 *
 * The model's check (`minMargin`, the run's default 0, RANK_DEFAULTS.isMinMargin): a neighbour
 * of an anchor is flagged only when its own out-of-sample probabilities prefer the suggested
 * label to the negative one by at least the margin. Being near a false negative is not enough
 * when the model, which read the example itself, calls it negative: on SemEval-2010 with
 * injected noise, margin 0 lifted IS from 1.92-1.98x the negatives' noise rate to 2.02-2.04x at
 * recall 0.35-0.37 (was 0.36-0.37), and on generated data from 95% to 100% precise.
 *
 * The anchors are the queries and N is the base, so the search costs |A| x |N| and holds one
 * chunk x |N| score block at a time; votes are then inverted onto the negatives with a
 * counting sort (no per-anchor allocation), since the number of anchors can reach thousands.
 *
 * Weights are used as given even when negative (a tiny N can leave an anchor only dissimilar
 * neighbours): the definition sums similarities, and an example with a single voting label
 * gets that label whatever the sign.
 */
import { noiseScore, suggestionReliability, voteMargin } from './flag-scores';
import { searchBetween } from './neighbour-search';
import {
  type EvidenceItem,
  type Flag,
  type StrategyInput,
  checkStrategyInput,
  compareFlags,
  selectIndices,
} from './strategy-types';

/** A trusted anchor keeps at least this out-of-sample probability on its own label. */
export const TRUSTED_ANCHOR_MIN_PROB = 0.1;

export interface IntrinsicOptions {
  /** Anchors whose own label has a lower probability are left out (0: every anchor, the paper's rule). */
  anchorMinSelfProb?: number;
  /**
   * A neighbour is flagged only when p(suggested) - p(negative) is at least this on its own
   * out-of-sample probabilities (-1, the default: every neighbour, the paper's rule).
   */
  minMargin?: number;
}

export async function runIntrinsic(input: StrategyInput, options: IntrinsicOptions = {}): Promise<Flag[]> {
  const n = checkStrategyInput(input);
  const { labels, predictions, negative, numLabels, probs } = input;
  const minSelf = options.anchorMinSelfProb ?? 0;
  const minMargin = options.minMargin ?? -1;

  const anchors = selectIndices(
    n,
    (i) => labels[i] !== negative && predictions[i] === negative && (minSelf <= 0 || probs[i * numLabels + labels[i]!]! >= minSelf),
  );
  const negatives = selectIndices(n, (i) => labels[i] === negative);

  const res = await searchBetween(input, anchors, negatives);
  const kk = res.k;
  const numVotes = anchors.length * kk;

  // Invert (anchor -> negatives) into (negative -> anchors). Filling in anchor order keeps each
  // negative's votes in ascending anchor index, which fixes the summation order.
  const start = new Int32Array(negatives.length + 1);
  for (let v = 0; v < numVotes; v++) start[res.indices[v]! + 1]!++;
  for (let b = 0; b < negatives.length; b++) start[b + 1]! += start[b]!;
  const fill = start.slice(0, negatives.length);
  const voter = new Int32Array(numVotes);
  const voteSim = new Float32Array(numVotes);
  for (let a = 0; a < anchors.length; a++) {
    for (let j = 0; j < kk; j++) {
      const v = a * kk + j;
      const slot = fill[res.indices[v]!]!++;
      voter[slot] = anchors[a]!;
      voteSim[slot] = res.similarities[v]!;
    }
  }

  const reliability = suggestionReliability(labels, probs, numLabels);
  const sums = new Float64Array(numLabels);
  const flags: Flag[] = [];
  for (let b = 0; b < negatives.length; b++) {
    const from = start[b]!;
    const to = start[b + 1]!;
    if (from === to) continue;
    const evidence: EvidenceItem[] = new Array(to - from);
    for (let s = from; s < to; s++) {
      const label = labels[voter[s]!]!;
      const sim = voteSim[s]!;
      sums[label]! += sim;
      evidence[s - from] = { index: voter[s]!, similarity: sim, label };
    }
    let suggested = -1;
    for (let s = from; s < to; s++) {
      const label = labels[voter[s]!]!;
      if (suggested === -1 || sums[label]! > sums[suggested]! || (sums[label] === sums[suggested] && label < suggested)) {
        suggested = label;
      }
    }
    // Reset only what this negative touched, so the scratch stays O(votes) per negative.
    for (let s = from; s < to; s++) sums[labels[voter[s]!]!] = 0;
    evidence.sort((x, y) => y.similarity - x.similarity || x.index - y.index);
    const x = negatives[b]!;
    if (probs[x * numLabels + suggested]! - probs[x * numLabels + negative]! < minMargin) continue;
    const votes = voteMargin(evidence.length, (j) => evidence[j]!, suggested, negative);
    const score = noiseScore(probs, reliability, numLabels, x, suggested, negative, votes);
    flags.push({ index: x, strategy: 'is', score, suggested, evidence: { neighbours: [], anchors: evidence } });
  }
  return flags.sort(compareFlags);
}
