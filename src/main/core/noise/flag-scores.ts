/**
 * The scores the neighbour strategies give their flags (DESIGN section 1: "each strategy's
 * score must order its own flags: higher = more likely noise, and it must discriminate").
 *
 * IS, ES, ESP and KNN (with the model's probabilities) score a flag that suggests s for an
 * example given g by three factors in [0, 1], multiplied (noiseScore):
 *
 * - the model's out-of-sample probability of the suggestion, p(s);
 * - the reliability of the model's s-predictions against g (suggestionReliability): of the
 *   examples the model predicts as s and that are labelled s or g, the share labelled s,
 *   M[s][s] / (M[s][s] + M[g][s]) on the confusion matrix of given against predicted labels
 *   (add-one smoothed). Where the model often calls g-examples s, the two labels are easy to
 *   confuse for it, and one more such call is weaker evidence that the label is wrong;
 * - the similarity-weighted vote margin of the neighbours (or IS's anchors) for s over g,
 *   ((w(s) - w(g)) / sum(w) + 1) / 2, with weights max(sim, 0) (all 1 when every weight is 0).
 *
 * Measured on SemEval-2010 with injected noise (BENCHMARKS.md, `npm run bench:quality`), the
 * model's probability alone orders the flags best of the single measures, but how often its
 * verdict is right differs by label: IS's flags suggesting Cause-Effect or Member-Collection
 * were 83 to 94% noisy, those suggesting Message-Topic or Entity-Origin 38 to 59%, across three
 * noise seeds. The reliability factor moves the first ahead, which lifted the top fifth of
 * IS's, ES's and ESP's flags from 82-88% noisy to 88-93%. The reliability assumes that label
 * noise does not pile up in one cell of the confusion matrix more than the model's own
 * confusions do; where it does (TACRED's noise sits in some relations more than in others),
 * that cell is ranked lower than it should be, though its flags are still flagged.
 *
 * Why not the mean similarity of the voters (the paper's tie-breaker, formerly the score):
 * measured on SemEval-2010 with injected noise, ES's top fifth by mean similarity was *less*
 * often noisy than its bottom fifth (0.61 vs 0.84): similar neighbours say the example is
 * typical, not that its label is wrong.
 */

/**
 * R[g * K + s] = (M[s][s] + 1) / (M[s][s] + M[g][s] + 2), M[a][b] = examples given a that the
 * model predicts as b (argmax of `probs`, ties to the smaller label). K x K, row = given label.
 */
export function suggestionReliability(labels: Int32Array, probs: ArrayLike<number>, numLabels: number): Float64Array {
  const K = numLabels;
  const confusion = new Float64Array(K * K);
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[i * K + k]! > probs[i * K + best]!) best = k;
    confusion[labels[i]! * K + best]!++;
  }
  const out = new Float64Array(K * K);
  for (let g = 0; g < K; g++) {
    for (let s = 0; s < K; s++) {
      const agree = confusion[s * K + s]!;
      out[g * K + s] = (agree + 1) / (agree + (g === s ? 0 : confusion[g * K + s]!) + 2);
    }
  }
  return out;
}

/**
 * p(s) x R[g][s] x votes for example `i` of an n x numLabels probability matrix, where `votes`
 * is the vote margin (voteMargin) of the evidence for s over g.
 */
export function noiseScore(probs: ArrayLike<number>, reliability: Float64Array, numLabels: number, i: number, suggested: number, given: number, votes: number): number {
  return probs[i * numLabels + suggested]! * reliability[given * numLabels + suggested]! * votes;
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
