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
 *   score = mean similarity of the voters (the neighbours labelled with the majority label).
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
import { searchBetween } from './neighbour-search';
import {
  type EvidenceItem,
  type ExtrinsicInput,
  type Flag,
  checkNeighbourInput,
  cleanLabelTable,
  compareFlags,
  selectIndices,
} from './strategy-types';

export interface ExtrinsicOptions {
  /** ESP (true) also judges positives; ES (false) judges negatives only. */
  positivesToo: boolean;
}

export async function runExtrinsic(input: ExtrinsicInput, options: ExtrinsicOptions): Promise<Flag[]> {
  const n = checkNeighbourInput(input);
  const { labels, negative, numLabels } = input;
  const strategy = options.positivesToo ? 'esp' : 'es';
  const trusted = cleanLabelTable(input.clean, n, numLabels);

  const clean = selectIndices(n, (i) => trusted[i] !== -1);
  const judged = selectIndices(
    n,
    (i) => trusted[i] === -1 && (options.positivesToo || labels[i] === negative),
  );

  const res = await searchBetween(input, judged, clean);
  const kk = res.k;

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

    let sum = 0;
    let voters = 0;
    const neighbours: EvidenceItem[] = new Array(kk);
    for (let j = 0; j < kk; j++) {
      const index = clean[res.indices[row + j]!]!;
      const label = trusted[index]!;
      const similarity = res.similarities[row + j]!;
      if (label === majority) {
        sum += similarity;
        voters++;
      }
      neighbours[j] = { index, similarity, label };
    }
    flags.push({ index: x, strategy, score: sum / voters, suggested: majority, evidence: { neighbours } });
  }
  return flags.sort(compareFlags);
}
