/**
 * KNN, neighbour disagreement (DESIGN section 1): an example whose nearest neighbours mostly
 * carry other labels is suspicious.
 *
 *   neighbours: the k nearest in the whole dataset, x itself excluded;
 *   weight of a neighbour = max(sim, 0), or 1 for every neighbour when all of them are 0
 *   (orthogonal or opposed neighbours would otherwise leave 0 / 0);
 *   score = weight of neighbours whose given label != y(x), over the total weight;
 *   flagged when score > 1/2.
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
 * The test "score > 1/2" is evaluated as 2 * disagreeing > total, so an exact half is never
 * flagged by a rounding error in the division.
 */
import { searchWithin } from './neighbour-search';
import {
  type EvidenceItem,
  type Flag,
  type NeighbourInput,
  checkNeighbourInput,
  compareFlags,
} from './strategy-types';

export async function runKnnDisagreement(input: NeighbourInput): Promise<Flag[]> {
  const n = checkNeighbourInput(input);
  const { labels, numLabels } = input;

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
    if (!(2 * disagreeing > total)) {
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
    flags.push({ index: x, strategy: 'knn', score: disagreeing / total, suggested, evidence: { neighbours } });
  }
  return flags.sort(compareFlags);
}
