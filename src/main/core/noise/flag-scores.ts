/**
 * The scores the neighbour strategies give their flags (DESIGN section 1: "each strategy's
 * score must order its own flags: higher = more likely noise, and it must discriminate").
 *
 * Both measures are margins of the suggested label over the given one, mapped to [0, 1] so
 * that 1 is "all the evidence for the suggestion", 1/2 "even" and 0 "all for the given label":
 *
 * - the model's: (p(suggested) - p(given) + 1) / 2 on the out-of-sample probabilities, which is
 *   cleanlab's normalized margin seen from the suggestion (1 minus the label quality when the
 *   suggestion is the most probable other label);
 * - the neighbours': the similarity-weighted vote margin (w(suggested) - w(given)) / sum(w),
 *   plus 1, halved, with weights max(sim, 0) (all 1 when every weight is 0).
 *
 * Why not the mean similarity of the voters (the paper's tie-breaker, formerly the score):
 * measured on SemEval-2010 with injected noise, ES's top fifth by mean similarity was *less*
 * often noisy than its bottom fifth (0.61 vs 0.84): similar neighbours say the example is
 * typical, not that its label is wrong.
 */

/** (p(suggested) - p(given) + 1) / 2 for example `i` of an n x numLabels probability matrix. */
export function suggestionMargin(probs: ArrayLike<number>, numLabels: number, i: number, suggested: number, given: number): number {
  const base = i * numLabels;
  return (probs[base + suggested]! - probs[base + given]! + 1) / 2;
}

/**
 * ((w(suggested) - w(given)) / sum(w) + 1) / 2 over `count` neighbours, read through `at(j)`
 * as (similarity, label).
 */
export function voteMargin(count: number, at: (j: number) => { similarity: number; label: number }, suggested: number, given: number): number {
  let total = 0;
  let forSuggested = 0;
  let forGiven = 0;
  let unweighted = true;
  for (let j = 0; j < count; j++) if (at(j).similarity > 0) unweighted = false;
  for (let j = 0; j < count; j++) {
    const { similarity, label } = at(j);
    const w = unweighted ? 1 : Math.max(similarity, 0);
    total += w;
    if (label === suggested) forSuggested += w;
    else if (label === given) forGiven += w;
  }
  if (total === 0) return 0.5;
  return ((forSuggested - forGiven) / total + 1) / 2;
}
