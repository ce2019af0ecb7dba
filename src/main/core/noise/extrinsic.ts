/**
 * ES and ESP, the extrinsic strategies of Parekh et al. (DESIGN section 1): a clean reference
 * set C (a reference patch, human decisions, or a split marked clean) is trusted, and every
 * example outside C is judged by its k nearest neighbours inside C, read with their trusted
 * labels.
 *
 *   ES:  for x in N \ C, if a strict majority (more than half of the neighbours actually
 *        returned, min(k, |C|)) carries one positive label r, flag x and suggest r.
 *   ESP: ES, and for x in P \ C, if a strict majority label m exists and m != y(x), flag x and
 *        suggest m (often the negative label).
 *   score = noiseScore (flag-scores.ts): the model's out-of-sample probability of the
 *   suggestion, times the reliability of the model's calls of it against the given label,
 *   times the similarity-weighted vote margin of the k clean neighbours. The mean similarity
 *   of the voters, the first score, ordered the flags the wrong way round on SemEval-2010 (top
 *   fifth 0.61 noisy, bottom fifth 0.84); the mean of the model's and the neighbours' margins,
 *   the second, left ES's top fifth at 1.28 to 1.35 times its precision, the product at 1.33
 *   to 1.42 (three noise seeds).
 *
 * Both reduce to one rule, "a strict-majority label exists and differs from the given label",
 * over different query sets: for x in N a differing label is exactly a positive one.
 *
 * DESIGN adds "ties broken by summed similarity". Under a strict majority no tie can arise: two
 * labels cannot each hold more than half of the same neighbours, and an even split (2 of 4 vs
 * 2 of 4) is no majority at all, so x is not flagged. The clause would only matter for a
 * plurality rule, which the paper's "majority" and DESIGN's "strict majority" both rule out,
 * so it is not implemented.
 *
 * C is searched in ascending example order whatever order `clean.indices` came in, so equal
 * similarities rank the lower example index first, as everywhere else.
 */
import { noiseScore, suggestionReliability, voteMargin } from './flag-scores';
import { searchBetween } from './neighbour-search';
import {
  type EvidenceItem,
  type ExtrinsicInput,
  type Flag,
  checkScoredInput,
  cleanLabelTable,
  compareFlags,
  selectIndices,
} from './strategy-types';

export interface ExtrinsicOptions {
  /** ESP (true) also judges positives; ES (false) judges negatives only. */
  positivesToo: boolean;
}

export async function runExtrinsic(input: ExtrinsicInput, options: ExtrinsicOptions): Promise<Flag[]> {
  const n = checkScoredInput(input);
  const { labels, negative, numLabels, probs } = input;
  const strategy = options.positivesToo ? 'esp' : 'es';
  const trusted = cleanLabelTable(input.clean, n, numLabels);

  const clean = selectIndices(n, (i) => trusted[i] !== -1);
  const judged = selectIndices(
    n,
    (i) => trusted[i] === -1 && (options.positivesToo || labels[i] === negative),
  );

  const res = await searchBetween(input, judged, clean);
  const kk = res.k;

  const reliability = suggestionReliability(labels, probs, numLabels);
  const counts = new Int32Array(numLabels);
  const flags: Flag[] = [];
  for (let q = 0; q < judged.length; q++) {
    const row = q * kk;
    let majority = -1;
    for (let j = 0; j < kk; j++) {
      const label = trusted[clean[res.indices[row + j]!]!]!;
      if (++counts[label]! * 2 > kk) majority = label;
    }
    for (let j = 0; j < kk; j++) counts[trusted[clean[res.indices[row + j]!]!]!] = 0;

    const x = judged[q]!;
    if (majority === -1 || majority === labels[x]) continue;

    const neighbours: EvidenceItem[] = new Array(kk);
    for (let j = 0; j < kk; j++) {
      const index = clean[res.indices[row + j]!]!;
      neighbours[j] = { index, similarity: res.similarities[row + j]!, label: trusted[index]! };
    }
    const votes = voteMargin(kk, (j) => neighbours[j]!, majority, labels[x]!);
    const score = noiseScore(probs, reliability, numLabels, x, majority, labels[x]!, votes);
    flags.push({ index: x, strategy, score, suggested: majority, evidence: { neighbours } });
  }
  return flags.sort(compareFlags);
}
