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
 * With the model's probabilities (`model`, as every run passes them), a disagreement is
 * flagged only when the model agrees with the neighbours: p(suggested) - p(y(x)) >= minMargin
 * (RANK_DEFAULTS.knnMinMargin), and the score is noiseScore, as for IS, ES and ESP. Measured on
 * SemEval-2010 with injected noise: the label-free neighbours alone disagree with a clean label
 * about as often as with a wrong one (31% precise at k 10 and 9/10 of the weight, and no
 * stricter k or threshold got past 42%), so that dropping or relabelling KNN's flags made a
 * retrained model worse (BENCHMARKS.md); the neighbours' verdict where the model shares it is
 * the confident disagreement.
 *
 * Why a stricter threshold by default: at k = 3 and 1/2, KNN flagged 37% of SemEval-2010
 * (8,000 examples, 11% injected noise) and gave its whole top fifth the same score. The run
 * reads 10 neighbours and flags when 7/10 of their weight disagrees and the model agrees (see
 * below), which flags on the order of the noise.
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
import { noiseScore, suggestionReliability, voteMargin } from './flag-scores';
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
  /**
   * The model's out-of-sample probabilities (n x numLabels): with them a flag also needs
   * p(suggested) - p(given) >= minMargin, and is scored by noiseScore; without them KNN reads
   * the neighbours only and scores by their vote margin.
   */
  model?: {
    probs: ArrayLike<number>;
    minMargin: number;
    /**
     * Probabilities for the score, when they are not `probs`: the run checks with the cleaned
     * second fit (which sees false negatives) and scores with the first, whose p(suggested)
     * orders the flags better (SemEval-2010 with injected noise, three seeds: top fifth 1.47,
     * 1.47, 1.55x overall against 1.29, 1.38, 1.42).
     */
    scoreProbs?: ArrayLike<number>;
  };
}

export async function runKnnDisagreement(input: NeighbourInput, options: KnnOptions = {}): Promise<Flag[]> {
  const n = checkNeighbourInput(input);
  const { labels, numLabels } = input;
  const threshold = options.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold < 1)) throw new RangeError(`threshold must be in [0, 1), got ${threshold}`);

  const res = await searchWithin(input);
  const kk = res.k;
  const model = options.model;
  const scoreProbs = model ? (model.scoreProbs ?? model.probs) : null;
  const reliability = scoreProbs ? suggestionReliability(labels, scoreProbs, numLabels) : null;

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
    for (let j = 0; j < kk; j++) weightOf[labels[res.indices[row + j]!]!] = 0;
    if (model && model.probs[x * numLabels + suggested]! - model.probs[x * numLabels + own]! < model.minMargin) continue;
    const neighbours: EvidenceItem[] = new Array(kk);
    for (let j = 0; j < kk; j++) {
      const index = res.indices[row + j]!;
      neighbours[j] = { index, similarity: res.similarities[row + j]!, label: labels[index]! };
    }
    const votes = voteMargin(kk, (j) => neighbours[j]!, suggested, own);
    const score = scoreProbs ? noiseScore(scoreProbs, reliability!, numLabels, x, suggested, own, votes) : votes;
    flags.push({ index: x, strategy: 'knn', score, suggested, evidence: { neighbours } });
  }
  return flags.sort(compareFlags);
}
