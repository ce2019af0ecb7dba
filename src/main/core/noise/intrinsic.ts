/**
 * IS, the intrinsic strategy of Parekh et al. (DESIGN section 1): positives are trusted, and a
 * positive the model predicts as negative (an anchor) points at negatives that look like it.
 *
 *   A = { x in P : prediction(x) = negative }
 *   each anchor a votes for each of its k nearest neighbours n among N with (y(a), sim(a, n));
 *   n is flagged, suggested = the label with the largest summed weight (ties: smaller label
 *   index), score = the largest single similarity any anchor gave it.
 *
 * The anchors are the queries and N is the base, so the search costs |A| x |N| and holds one
 * chunk x |N| score block at a time; votes are then inverted onto the negatives with a
 * counting sort (no per-anchor allocation), since the number of anchors can reach thousands.
 *
 * Weights are used as given even when negative (a tiny N can leave an anchor only dissimilar
 * neighbours): the definition sums similarities, and an example with a single voting label
 * gets that label whatever the sign.
 */
import { searchBetween } from './neighbour-search';
import {
  type EvidenceItem,
  type Flag,
  type StrategyInput,
  checkStrategyInput,
  compareFlags,
  selectIndices,
} from './strategy-types';

export async function runIntrinsic(input: StrategyInput): Promise<Flag[]> {
  const n = checkStrategyInput(input);
  const { labels, predictions, negative, numLabels } = input;

  const anchors = selectIndices(n, (i) => labels[i] !== negative && predictions[i] === negative);
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

  const sums = new Float64Array(numLabels);
  const flags: Flag[] = [];
  for (let b = 0; b < negatives.length; b++) {
    const from = start[b]!;
    const to = start[b + 1]!;
    if (from === to) continue;
    let score = -Infinity;
    const evidence: EvidenceItem[] = new Array(to - from);
    for (let s = from; s < to; s++) {
      const label = labels[voter[s]!]!;
      const sim = voteSim[s]!;
      sums[label]! += sim;
      if (sim > score) score = sim;
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
    flags.push({ index: negatives[b]!, strategy: 'is', score, suggested, evidence: { neighbours: [], anchors: evidence } });
  }
  return flags.sort(compareFlags);
}
