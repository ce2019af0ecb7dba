import type { StrategyName } from '../../../shared/strategies';
import type { NeighbourSearch } from '../inference/search-method';

/**
 * What the label-noise strategies (DESIGN section 1: IS, ES, ESP, CL, KNN) consume and
 * produce, plus the two chores every neighbour-based strategy shares: checking its input and
 * copying a candidate pool's embedding rows into the contiguous base that exactCosineTopK
 * searches.
 *
 * Indices are example indices (0..n-1, the order of `labels`) and labels are label indices
 * (0..numLabels-1) everywhere, so flags from different strategies line up without lookups.
 */


/** One example met during a neighbour search, with the label the strategy read from it. */
export interface EvidenceItem {
  /** Example index. */
  index: number;
  /** Cosine similarity to the flagged example. */
  similarity: number;
  /**
   * The label that counted: the given label for IS anchors and KNN neighbours, the trusted
   * (clean) label for ES/ESP neighbours, which may differ from the given one.
   */
  label: number;
}

export interface Evidence {
  /** The flagged example's own neighbours, most similar first (ES, ESP, KNN). */
  neighbours: EvidenceItem[];
  /**
   * IS only: the anchors (positives predicted negative) that had the flagged example among
   * their nearest negatives, most similar first. IS leaves `neighbours` empty because it never
   * searches around the flagged example itself.
   */
  anchors?: EvidenceItem[];
}

export interface Flag {
  /** Example index. */
  index: number;
  strategy: StrategyName;
  /**
   * Higher = more likely noise, in [0, 1] (see flag-scores.ts): IS the model's margin of the
   * suggestion over the negative label, ES/ESP the mean of that margin and the clean
   * neighbours' vote margin, KNN its neighbours' vote margin, CL 1 minus cleanlab's quality.
   */
  score: number;
  /** Suggested label index. */
  suggested: number;
  evidence: Evidence;
}

/** Everything a neighbour search over the whole dataset needs. */
export interface NeighbourInput {
  /** Given label index per example; its length is n. */
  labels: Int32Array;
  /** Index of the negative label (`no_relation` by default). */
  negative: number;
  numLabels: number;
  /**
   * n x dim, row-major, every row L2-normalised (h(x) in DESIGN), so that a dot product is
   * the cosine. Not renormalised here: the caller normalises once per run (l2Normalize) and
   * every strategy shares that copy.
   */
  embeddings: Float32Array;
  dim: number;
  /** Neighbours per search; fewer are used when the candidate pool is smaller. */
  k: number;
  /** Execution providers for the kNN graph, best first (default: providerPreference()). */
  providers?: string[];
  /** The neighbour search to use; an exact search on `providers` when absent. */
  search?: NeighbourSearch;
  signal?: AbortSignal;
  /** Queries searched so far, out of the strategy's query count. */
  onProgress?: (done: number, total: number) => void;
}

/** The out-of-sample probabilities the scores read (n x numLabels, row-major). */
export interface ScoredInput {
  probs: ArrayLike<number>;
}

/** The input of IS: neighbours, predictions and probabilities. */
export interface StrategyInput extends NeighbourInput, ScoredInput {
  /** argmax of the out-of-sample probabilities per example. */
  predictions: Int32Array;
}

/** The trusted reference set C of ES and ESP. */
export interface CleanSet {
  /** Example indices in C, distinct, in any order. */
  indices: Int32Array;
  /** Trusted label per entry of `indices` (a reference patch's label may differ from the given one). */
  labels: Int32Array;
}

/** ES and ESP: the dataset plus the trusted reference set C. */
export interface ExtrinsicInput extends NeighbourInput, ScoredInput {
  clean: CleanSet;
}

function checkLabelArray(name: string, values: Int32Array, numLabels: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= numLabels) throw new RangeError(`${name}[${i}] = ${v} is not a label index below ${numLabels}`);
  }
}

/** Throws a RangeError naming the first inconsistency; returns n. */
export function checkNeighbourInput(input: NeighbourInput): number {
  const { labels, negative, numLabels, embeddings, dim, k } = input;
  const n = labels.length;
  if (!Number.isInteger(numLabels) || numLabels < 1) throw new RangeError(`numLabels must be a positive integer, got ${numLabels}`);
  if (!Number.isInteger(negative) || negative < 0 || negative >= numLabels) {
    throw new RangeError(`negative must be a label index below ${numLabels}, got ${negative}`);
  }
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  if (embeddings.length !== n * dim) {
    throw new RangeError(`embeddings has ${embeddings.length} values, expected ${n} x ${dim} = ${n * dim}`);
  }
  checkLabelArray('labels', labels, numLabels);
  return n;
}

export function checkScoredInput(input: NeighbourInput & ScoredInput): number {
  const n = checkNeighbourInput(input);
  if (input.probs.length !== n * input.numLabels) {
    throw new RangeError(`probs has ${input.probs.length} values, expected ${n} x ${input.numLabels} = ${n * input.numLabels}`);
  }
  return n;
}

export function checkStrategyInput(input: StrategyInput): number {
  const n = checkScoredInput(input);
  if (input.predictions.length !== n) {
    throw new RangeError(`predictions has ${input.predictions.length} entries, expected ${n}`);
  }
  checkLabelArray('predictions', input.predictions, input.numLabels);
  return n;
}

/**
 * The trusted label of every example, -1 outside C. A dense table rather than a sorted copy:
 * membership tests are O(1) and walking it yields C in ascending example order, which keeps
 * exactCosineTopK's tie order (lower base index first) equal to lower example index first.
 */
export function cleanLabelTable(clean: CleanSet, n: number, numLabels: number): Int32Array {
  const { indices, labels } = clean;
  if (indices.length !== labels.length) {
    throw new RangeError(`clean set has ${indices.length} indices but ${labels.length} labels`);
  }
  checkLabelArray('clean.labels', labels, numLabels);
  const table = new Int32Array(n).fill(-1);
  for (let i = 0; i < indices.length; i++) {
    const x = indices[i]!;
    if (x < 0 || x >= n) throw new RangeError(`clean.indices[${i}] = ${x} is not an example index below ${n}`);
    if (table[x] !== -1) throw new RangeError(`example ${x} appears twice in the clean set`);
    table[x] = labels[i]!;
  }
  return table;
}

/**
 * Copies the embedding rows of `rows` (example indices) into one contiguous row-major block,
 * the layout exactCosineTopK wants for its queries and base.
 */
export function gatherRows(embeddings: Float32Array, dim: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r]! * dim;
    out.set(embeddings.subarray(src, src + dim), r * dim);
  }
  return out;
}

/** Example indices whose entry passes `keep`, ascending. */
export function selectIndices(n: number, keep: (i: number) => boolean): Int32Array {
  let count = 0;
  for (let i = 0; i < n; i++) if (keep(i)) count++;
  const out = new Int32Array(count);
  let w = 0;
  for (let i = 0; i < n; i++) if (keep(i)) out[w++] = i;
  return out;
}

/** Strategy ranking order: most suspicious first, then lower example index. */
export function compareFlags(a: Flag, b: Flag): number {
  return b.score - a.score || a.index - b.index;
}
