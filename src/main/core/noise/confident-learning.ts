/**
 * Confident learning with the semantics of cleanlab 2.9.0 (single-label, default arguments),
 * written from a behaviour description (cleanlab itself is AGPL; none of its code is here).
 *
 * Inputs everywhere: `labels` (n given labels in 0..K-1) and `probs` (n x K out-of-sample
 * predicted probabilities, row-major). Joints and matrices are K x K row-major typed arrays.
 *
 * Exactness matters more than usual here: the parity fixtures compare index sets, so every
 * step reproduces cleanlab's float operation order and numpy's tie-breaking (see
 * numpy-argsort.ts). The `sort` option selects numpy-1.24-compatible ties ('numpy', default)
 * or stable ties ('stable'); only calibration rounding, tied prune cuts and the ranking use it.
 */

import { type ArgsortKind, argsort } from './numpy-argsort';
import { type ClassIndex, indexByClass } from './class-index';
import { pairwiseSum } from './numpy-sum';
import { pruneByClass, pruneByNoiseRate, pruneCountMatrix } from './prune-cuts';
import { roundPreservingSum } from './round-preserving-sum';

export type FilterBy =
  | 'prune_by_noise_rate'
  | 'prune_by_class'
  | 'both'
  | 'confident_learning'
  | 'predicted_neq_given';

export const FILTER_BY_VALUES: readonly FilterBy[] = [
  'prune_by_noise_rate',
  'prune_by_class',
  'both',
  'confident_learning',
  'predicted_neq_given',
];

export type QualityMethod = 'self_confidence' | 'normalized_margin' | 'confidence_weighted_entropy';

export const QUALITY_METHODS: readonly QualityMethod[] = [
  'self_confidence',
  'normalized_margin',
  'confidence_weighted_entropy',
];

/** Tie order for the argsorts cleanlab performs. */
export type SortKind = ArgsortKind;

export interface ConfidentJointOptions {
  /** Rescale the counts to the given-label prior and n (cleanlab's default: true). */
  calibrate?: boolean;
  sort?: SortKind;
}

export interface FindLabelIssuesOptions {
  filterBy?: FilterBy;
  sort?: SortKind;
}

export interface RankOptions extends FindLabelIssuesOptions {
  rankBy?: QualityMethod;
}

export interface LatentEstimate {
  /** Estimated prior of the true labels, length K. */
  py: Float64Array;
  /** P(given = i | true = j) at [i * K + j]; columns sum to 1. */
  noiseMatrix: Float64Array;
  /** P(true = i | given = j) at [i * K + j]; columns sum to 1. */
  inverseNoiseMatrix: Float64Array;
}

/** cleanlab's floor for thresholds, so an all-zero class column still has a positive bar. */
const THRESHOLD_FLOOR = 2e-6;
/** Threshold of a class nobody is labelled with: above any probability, so never confident. */
const ABSENT_CLASS_THRESHOLD = 2;
/** Slack in `p_k >= t_k - 1e-6`, so an example sitting exactly at the class mean counts. */
const CONFIDENCE_SLACK = 1e-6;
/** Added to p[label] before the final argmax check, so near-ties go to the given label. */
const LABEL_BONUS = 1e-6;
/** cleanlab's TINY_VALUE, guarding divisions by empty rows and columns. */
const TINY_VALUE = 1e-100;
/** Quality-score floors used by cleanlab's confidence-weighted entropy. */
const MIN_ALLOWED = 1e-6;
/** Noise rates are clipped below this before renormalising. */
const MAX_NOISE_RATE = 0.9999;
/** Lower clip of the estimated prior, so no true class is ruled out entirely. */
const PY_FLOOR = 1e-6;

// ---------------------------------------------------------------------------------------------
// Input checks

function checkInputs(labels: Int32Array, probs: Float64Array, numClasses: number): number {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`number of classes must be a positive integer, got ${numClasses}`);
  }
  const n = labels.length;
  if (probs.length !== n * numClasses) {
    throw new RangeError(`probs has ${probs.length} values, expected n*K = ${n}*${numClasses}`);
  }
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l < 0 || l >= numClasses) throw new RangeError(`label ${l} at row ${i} is outside 0..${numClasses - 1}`);
  }
  // NaN and infinities would silently break the selections and the argmax checks.
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (p - p !== 0) throw new RangeError(`probs[${Math.floor(i / numClasses)}][${i % numClasses}] is not finite`);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Thresholds and counting

function thresholdsFromIndex(ci: ClassIndex, probs: Float64Array, numClasses: number): Float64Array {
  const { order, start, counts } = ci;
  let maxCount = 0;
  for (let k = 0; k < numClasses; k++) maxCount = Math.max(maxCount, counts[k]!);
  const buf = new Float64Array(maxCount);
  const thresholds = new Float64Array(numClasses);
  for (let k = 0; k < numClasses; k++) {
    const c = counts[k]!;
    let t = ABSENT_CLASS_THRESHOLD;
    if (c > 0) {
      const s = start[k]!;
      for (let u = 0; u < c; u++) buf[u] = probs[order[s + u]! * numClasses + k]!;
      // np.mean: pairwise sum of the selected values, then one division.
      t = pairwiseSum(buf, 0, c) / c;
    }
    thresholds[k] = t < THRESHOLD_FLOOR ? THRESHOLD_FLOOR : t;
  }
  return thresholds;
}

/**
 * Per-class confidence thresholds: the mean predicted probability of class k over examples
 * labelled k (2 for an absent class), floored at 2e-6.
 */
export function confidentThresholds(labels: Int32Array, probs: Float64Array, numClasses: number): Float64Array {
  checkInputs(labels, probs, numClasses);
  return thresholdsFromIndex(indexByClass(labels, numClasses), probs, numClasses);
}

interface ConfidentCounts {
  /** Raw counts [given][guess], before the diagonal is raised to 1. */
  joint: Int32Array;
  /** Examples counted off the diagonal, ascending. */
  offDiagonal: Int32Array;
}

function countConfident(
  labels: Int32Array,
  probs: Float64Array,
  numClasses: number,
  thresholds: Float64Array,
): ConfidentCounts {
  const n = labels.length;
  const K = numClasses;
  const cut = new Float64Array(K);
  for (let k = 0; k < K; k++) cut[k] = thresholds[k]! - CONFIDENCE_SLACK;
  const joint = new Int32Array(K * K);
  const off = new Int32Array(n);
  let numOff = 0;
  for (let i = 0, base = 0; i < n; i++, base += K) {
    let best = probs[base]!;
    let arg = 0;
    let numConfident = 0;
    let firstConfident = -1;
    for (let j = 0; j < K; j++) {
      const p = probs[base + j]!;
      if (p > best) {
        best = p;
        arg = j;
      }
      if (p >= cut[j]!) {
        if (numConfident === 0) firstConfident = j;
        numConfident++;
      }
    }
    if (numConfident === 0) continue;
    // Several confident classes: the most probable wins; one: that class, even if not argmax.
    const guess = numConfident > 1 ? arg : firstConfident;
    const label = labels[i]!;
    joint[label * K + guess]!++;
    if (guess !== label) off[numOff++] = i;
  }
  return { joint, offDiagonal: off.slice(0, numOff) };
}

/** Every class keeps at least one confidently-correct example on the diagonal. */
function raiseDiagonal(joint: Int32Array, numClasses: number): Int32Array {
  const cj = joint.slice();
  for (let k = 0; k < numClasses; k++) {
    const d = k * numClasses + k;
    if (cj[d]! < 1) cj[d] = 1;
  }
  return cj;
}

/**
 * Rescale each row to its class's label count, then the whole matrix to n, then round rows
 * preserving their totals. Operation order follows cleanlab/numpy so the floats agree bitwise.
 */
function calibrate(
  cj: Int32Array,
  numClasses: number,
  labelCounts: Int32Array,
  n: number,
  kind: SortKind,
): Int32Array {
  const K = numClasses;
  const rowSum = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += cj[i * K + j]!;
    rowSum[i] = s < TINY_VALUE ? TINY_VALUE : s;
  }
  // numpy builds this product transposed (x[j][i]); the grand total is summed in that memory
  // order, so we lay it out the same way.
  const x = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    for (let i = 0; i < K; i++) x[j * K + i] = (cj[i * K + j]! / rowSum[i]!) * labelCounts[i]!;
  }
  let total = pairwiseSum(x, 0, K * K);
  if (total < TINY_VALUE) total = TINY_VALUE;
  const out = new Int32Array(K * K);
  const row = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) row[j] = (x[j * K + i]! / total) * n;
    out.set(roundPreservingSum(row, kind), i * K);
  }
  return out;
}

interface JointState {
  ci: ClassIndex;
  thresholds: Float64Array;
  counts: ConfidentCounts;
}

function jointState(labels: Int32Array, probs: Float64Array, numClasses: number): JointState {
  const ci = indexByClass(labels, numClasses);
  const thresholds = thresholdsFromIndex(ci, probs, numClasses);
  return { ci, thresholds, counts: countConfident(labels, probs, numClasses, thresholds) };
}

function jointFromState(
  state: JointState,
  numClasses: number,
  n: number,
  calibrated: boolean,
  kind: SortKind,
): Int32Array {
  const cj = raiseDiagonal(state.counts.joint, numClasses);
  return calibrated ? calibrate(cj, numClasses, state.ci.counts, n, kind) : cj;
}

/**
 * The confident joint, K x K row-major: [given label][guessed true label]. Calibrated by
 * default, which is the joint find_label_issues prunes with.
 */
export function computeConfidentJoint(
  labels: Int32Array,
  probs: Float64Array,
  numClasses: number,
  options: ConfidentJointOptions = {},
): Int32Array {
  const n = checkInputs(labels, probs, numClasses);
  const state = jointState(labels, probs, numClasses);
  return jointFromState(state, numClasses, n, options.calibrate ?? true, options.sort ?? 'numpy');
}

// ---------------------------------------------------------------------------------------------
// Filters

function argmaxRow(probs: Float64Array, base: number, numClasses: number): number {
  let best = probs[base]!;
  let arg = 0;
  for (let j = 1; j < numClasses; j++) {
    const p = probs[base + j]!;
    if (p > best) {
      best = p;
      arg = j;
    }
  }
  return arg;
}

/**
 * Final step of every filter: drop flagged examples whose given label would be the argmax after
 * adding 1e-6 to its probability (first index wins ties, as np.argmax).
 */
function unflagLabelIsArgmax(labels: Int32Array, probs: Float64Array, numClasses: number, mask: Uint8Array): void {
  const K = numClasses;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    const label = labels[i]!;
    const base = i * K;
    const boosted = probs[base + label]! + LABEL_BONUS;
    let labelWins = true;
    for (let j = 0; j < label; j++) {
      if (probs[base + j]! >= boosted) {
        labelWins = false;
        break;
      }
    }
    if (labelWins) {
      for (let j = label + 1; j < K; j++) {
        if (probs[base + j]! > boosted) {
          labelWins = false;
          break;
        }
      }
    }
    if (labelWins) mask[i] = 0;
  }
}

function maskToIndices(mask: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i]!;
  const out = new Int32Array(count);
  let w = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) out[w++] = i;
  return out;
}

function filterMask(
  labels: Int32Array,
  probs: Float64Array,
  numClasses: number,
  filterBy: FilterBy,
  kind: SortKind,
): Uint8Array {
  const n = labels.length;
  const mask = new Uint8Array(n);
  if (filterBy === 'predicted_neq_given') {
    for (let i = 0; i < n; i++) if (argmaxRow(probs, i * numClasses, numClasses) !== labels[i]) mask[i] = 1;
    return mask;
  }
  const state = jointState(labels, probs, numClasses);
  if (filterBy === 'confident_learning') {
    const off = state.counts.offDiagonal;
    for (let t = 0; t < off.length; t++) mask[off[t]!] = 1;
    return mask;
  }
  const cj = jointFromState(state, numClasses, n, true, kind);
  const pcm = pruneCountMatrix(cj, numClasses);
  if (filterBy === 'prune_by_noise_rate') {
    pruneByNoiseRate(probs, numClasses, state.ci, pcm, kind, mask);
    return mask;
  }
  pruneByClass(probs, numClasses, state.ci, pcm, mask);
  if (filterBy === 'both') {
    const byNoiseRate = new Uint8Array(n);
    pruneByNoiseRate(probs, numClasses, state.ci, pcm, kind, byNoiseRate);
    for (let i = 0; i < n; i++) mask[i] = mask[i]! & byNoiseRate[i]!;
  }
  return mask;
}

/**
 * cleanlab's find_label_issues with default arguments: the flagged examples as ascending indices.
 */
export function findLabelIssues(
  labels: Int32Array,
  probs: Float64Array,
  numClasses: number,
  options: FindLabelIssuesOptions = {},
): Int32Array {
  checkInputs(labels, probs, numClasses);
  const filterBy = options.filterBy ?? 'prune_by_noise_rate';
  if (!FILTER_BY_VALUES.includes(filterBy)) throw new RangeError(`unknown filterBy: ${String(filterBy)}`);
  const mask = filterMask(labels, probs, numClasses, filterBy, options.sort ?? 'numpy');
  unflagLabelIsArgmax(labels, probs, numClasses, mask);
  return maskToIndices(mask);
}

/**
 * Estimated number of label issues (cleanlab's 'off_diagonal' estimate): the examples counted
 * off the diagonal of the uncalibrated joint, less those the final argmax check unflags.
 */
export function numLabelIssues(labels: Int32Array, probs: Float64Array, numClasses: number): number {
  return findLabelIssues(labels, probs, numClasses, { filterBy: 'confident_learning' }).length;
}

// ---------------------------------------------------------------------------------------------
// Scores and ranking

function scoreRows(
  labels: Int32Array,
  probs: Float64Array,
  numClasses: number,
  method: QualityMethod,
  rows: Int32Array | null,
): Float64Array {
  const K = numClasses;
  const count = rows === null ? labels.length : rows.length;
  const out = new Float64Array(count);
  const logK = Math.log(K);
  const terms = new Float64Array(K);
  for (let r = 0; r < count; r++) {
    const i = rows === null ? r : rows[r]!;
    const base = i * K;
    const label = labels[i]!;
    const self = probs[base + label]!;
    if (method === 'self_confidence') {
      out[r] = self;
    } else if (method === 'normalized_margin') {
      let other = -Infinity;
      for (let j = 0; j < K; j++) if (j !== label && probs[base + j]! > other) other = probs[base + j]!;
      out[r] = (self - other + 1) / 2;
    } else {
      for (let j = 0; j < K; j++) {
        const p = probs[base + j]!;
        terms[j] = p === 0 ? 0 : p * Math.log(p);
      }
      const entropy = -pairwiseSum(terms, 0, K) / logK;
      const s = entropy / (self < MIN_ALLOWED ? MIN_ALLOWED : self);
      out[r] = Math.log(s + 1) / (s < MIN_ALLOWED ? MIN_ALLOWED : s);
    }
  }
  return out;
}

/** Per-example label quality in [0, 1] (lower = more likely mislabelled), as cleanlab scores it. */
export function labelQualityScores(
  labels: Int32Array,
  probs: Float64Array,
  numClasses: number,
  method: QualityMethod = 'self_confidence',
): Float64Array {
  checkInputs(labels, probs, numClasses);
  if (!QUALITY_METHODS.includes(method)) throw new RangeError(`unknown quality method: ${String(method)}`);
  return scoreRows(labels, probs, numClasses, method, null);
}

/**
 * Reorder issue indices worst first: argsort of their quality scores, taken in ascending index
 * order as cleanlab does, so tied scores land where that argsort puts them.
 */
export function orderLabelIssues(
  issues: Int32Array,
  labels: Int32Array,
  probs: Float64Array,
  numClasses: number,
  method: QualityMethod = 'self_confidence',
  sort: SortKind = 'numpy',
): Int32Array {
  checkInputs(labels, probs, numClasses);
  const ascending = issues.slice().sort();
  for (let t = 0; t < ascending.length; t++) {
    const i = ascending[t]!;
    if (i < 0 || i >= labels.length) throw new RangeError(`issue index ${i} is outside 0..${labels.length - 1}`);
  }
  const scores = scoreRows(labels, probs, numClasses, method, ascending);
  const order = argsort(scores, sort);
  const out = new Int32Array(order.length);
  for (let t = 0; t < order.length; t++) out[t] = ascending[order[t]!]!;
  return out;
}

/**
 * find_label_issues with return_indices_ranked_by (self_confidence unless `rankBy` says
 * otherwise): the flagged examples, worst first.
 */
export function rankedLabelIssues(
  labels: Int32Array,
  probs: Float64Array,
  numClasses: number,
  options: RankOptions = {},
): Int32Array {
  const sort = options.sort ?? 'numpy';
  const issues = findLabelIssues(labels, probs, numClasses, { filterBy: options.filterBy, sort });
  return orderLabelIssues(issues, labels, probs, numClasses, options.rankBy ?? 'self_confidence', sort);
}

/** cleanlab's return_indices_ranked_by='self_confidence' (prune_by_noise_rate unless told). */
export function rankedBySelfConfidence(
  labels: Int32Array,
  probs: Float64Array,
  numClasses: number,
  options: FindLabelIssuesOptions = {},
): Int32Array {
  return rankedLabelIssues(labels, probs, numClasses, { ...options, rankBy: 'self_confidence' });
}

// ---------------------------------------------------------------------------------------------
// Latent estimates

/** Clip off-diagonal rates into [0, 0.9999], keep the diagonal, renormalise columns to 1. */
function clipNoiseRates(matrix: Float64Array, numClasses: number): Float64Array {
  const K = numClasses;
  const out = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      const v = matrix[i * K + j]!;
      out[i * K + j] = i === j ? v : Math.min(Math.max(v, 0), MAX_NOISE_RATE);
    }
  }
  for (let j = 0; j < K; j++) {
    let s = 0;
    for (let i = 0; i < K; i++) s += out[i * K + j]!;
    const d = s < TINY_VALUE ? TINY_VALUE : s;
    for (let i = 0; i < K; i++) out[i * K + j] = out[i * K + j]! / d;
  }
  return out;
}

/**
 * cleanlab's estimate_latent (py_method='cnt', no convergence): the noise matrix, the inverse
 * noise matrix and the true-label prior from a confident joint ([given][true], K x K).
 */
export function estimateLatent(confidentJoint: ArrayLike<number>, labels: Int32Array, numClasses: number): LatentEstimate {
  const K = numClasses;
  if (confidentJoint.length !== K * K) throw new RangeError(`confident joint must have K*K = ${K * K} entries`);
  const n = labels.length;
  const labelCounts = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l < 0 || l >= K) throw new RangeError(`label ${l} at row ${i} is outside 0..${K - 1}`);
    labelCounts[l]! += 1;
  }
  const rowSum = new Float64Array(K);
  const colSum = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      const v = confidentJoint[i * K + j]!;
      rowSum[i]! += v;
      colSum[j]! += v;
    }
  }
  const noise = new Float64Array(K * K);
  const inverse = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      noise[i * K + j] = confidentJoint[i * K + j]! / Math.max(colSum[j]!, TINY_VALUE);
      inverse[i * K + j] = confidentJoint[j * K + i]! / Math.max(rowSum[j]!, TINY_VALUE);
    }
  }
  const py = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const ps = labelCounts[k]! / n;
    const v = (inverse[k * K + k]! / Math.max(noise[k * K + k]!, TINY_VALUE)) * ps;
    py[k] = Math.min(Math.max(v, PY_FLOOR), 1);
  }
  const pySum = Math.max(pairwiseSum(py, 0, K), TINY_VALUE);
  for (let k = 0; k < K; k++) py[k] = py[k]! / pySum;
  return { py, noiseMatrix: clipNoiseRates(noise, K), inverseNoiseMatrix: clipNoiseRates(inverse, K) };
}
