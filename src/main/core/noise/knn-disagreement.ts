/**
 * KNN, neighbour disagreement (DESIGN section 1): an example whose nearest neighbours mostly
 * carry other labels is suspicious.
 *
 *   neighbours: the k nearest in the whole dataset, x itself excluded;
 *   weight of a neighbour = max(sim, 0), or 1 for every neighbour when all of them are 0
 *   (orthogonal or opposed neighbours would otherwise leave 0 / 0);
 *   disagreement = weight of neighbours whose given label != y(x), over the total weight;
 *   flagged when disagreement > threshold (DESIGN's rule is threshold 1/2; the run's default,
 *   chosen by measurement, is higher: see RANK_DEFAULTS.knnThreshold);
 *   score = the similarity-weighted vote margin of the suggestion over y(x) (flag-scores.ts).
 *
 * Why a stricter threshold by default: at k = 3 and 1/2, KNN flagged 37% of SemEval-2010
 * (8,000 examples, 11% injected noise) and gave its whole top fifth the same score. Reading 10
 * neighbours and flagging only when nearly all of their weight disagrees flags on the order
 * of the noise, and the margin then varies with how the other labels share the weight.
 *
 * Which embedding: this must be a representation that has not seen the labels (a reduced
 * projection of the input features, or an encoder trained on other data). A model fitted on
 * the noisy labels pulls each example towards its own label and hides the very disagreements
 * measured here (DESIGN measured 2 flags in 8,000 examples). Choosing it is the caller's job;
 * this function cannot tell.
 *
 * Suggested label: DESIGN says "the weighted majority label". When some label holds more than
 * half the weight, that label differs from y(x) (y(x) holds less than half on a flagged
 * example) and is what we return. When the disagreeing weight is split so that y(x) is still
 * the heaviest single label (y = A with A 0.4, B 0.3, C 0.3), the literal plurality would
 * suggest keeping the label on an example flagged as wrong; we suggest the heaviest label other
 * than y(x) instead (B). Ties go to the smaller label index.
 *
 * The test "disagreement > threshold" is evaluated as disagreeing > threshold * total, so an
 * exact threshold is never flagged by a rounding error in the division (for 1/2 the product
 * is exact).
 */
import { voteMargin } from './flag-scores';
import { searchWithin } from './neighbour-search';
import {
  type EvidenceItem,
  type Flag,
  type NeighbourInput,
  checkNeighbourInput,
  compareFlags,
} from './strategy-types';

export interface KnnOptions {
  /** Flag when the disagreeing share of the neighbour weight is above this (default 1/2). */
  threshold?: number;
}

export async function runKnnDisagreement(input: NeighbourInput, options: KnnOptions = {}): Promise<Flag[]> {
  const n = checkNeighbourInput(input);
  const { labels, numLabels } = input;
  const threshold = options.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold < 1)) throw new RangeError(`threshold must be in [0, 1), got ${threshold}`);

  const res = await searchWithin(input);
  const kk = res.k;

  const weightOf = new Float64Array(numLabels);
  const flags: Flag[] = [];
  for (let x = 0; x < n; x++) {
    const row = x * kk;
    const own = labels[x]!;
    let total = 0;
    for (let j = 0; j < kk; j++) total += Math.max(res.similarities[row + j]!, 0);
    const unweighted = total === 0;
    if (unweighted) total = kk;

    let disagreeing = 0;
    for (let j = 0; j < kk; j++) {
      const label = labels[res.indices[row + j]!]!;
      if (label === own) continue;
      const w = unweighted ? 1 : Math.max(res.similarities[row + j]!, 0);
      disagreeing += w;
      weightOf[label]! += w;
    }
    if (!(disagreeing > threshold * total)) {
      for (let j = 0; j < kk; j++) weightOf[labels[res.indices[row + j]!]!] = 0;
      continue;
    }

    let suggested = -1;
    for (let j = 0; j < kk; j++) {
      const label = labels[res.indices[row + j]!]!;
      if (label === own) continue;
      const w = weightOf[label]!;
      if (suggested === -1 || w > weightOf[suggested]! || (w === weightOf[suggested] && label < suggested)) {
        suggested = label;
      }
    }
    const neighbours: EvidenceItem[] = new Array(kk);
    for (let j = 0; j < kk; j++) {
      const index = res.indices[row + j]!;
      neighbours[j] = { index, similarity: res.similarities[row + j]!, label: labels[index]! };
      weightOf[labels[index]!] = 0;
    }
    const score = voteMargin(kk, (j) => neighbours[j]!, suggested, own);
    flags.push({ index: x, strategy: 'knn', score, suggested, evidence: { neighbours } });
  }
  return flags.sort(compareFlags);
}
