/**
 * The per-class cuts of cleanlab's prune_by_noise_rate / prune_by_class filters: given the
 * calibrated confident joint, which examples of each given class are flagged.
 *
 * Both cuts are order statistics. We compute them with selections and heaps (linear-ish, no
 * per-pair sorts) and only run numpy's argsort where its tie order could change the set.
 */

import { type ArgsortKind, argsort } from './numpy-argsort';
import type { ClassIndex } from './class-index';
import { selectKth } from './select-kth';

/** cleanlab's default min_examples_per_class. */
const MIN_EXAMPLES_PER_CLASS = 1;
/** Value cleanlab gives other classes' examples in a margin vector before argsorting it. */
const MARGIN_FILL = -1.0;

/**
 * cleanlab prunes with the transposed joint ([true][given]) after making sure each given class
 * keeps at least `MIN_EXAMPLES_PER_CLASS` examples. With a diagonal of at least 1 everywhere
 * (always, unless calibration rounds a diagonal to 0) this is a plain transpose; otherwise the
 * raise on the diagonal is taken evenly from that class's non-zero noise counts and truncated.
 * That zero-diagonal rule is our understanding of cleanlab; no parity fixture reaches it.
 */
export function pruneCountMatrix(cj: Int32Array, numClasses: number): Int32Array {
  const K = numClasses;
  const pcm = new Int32Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) pcm[j * K + i] = cj[i * K + j]!;
  for (let k = 0; k < K; k++) {
    const diag = pcm[k * K + k]!;
    if (diag >= MIN_EXAMPLES_PER_CLASS) continue;
    const raise = MIN_EXAMPLES_PER_CLASS - diag;
    let nonZero = 0;
    for (let j = 0; j < K; j++) if (pcm[j * K + k]! !== 0) nonZero++;
    const perEntry = raise / Math.max(nonZero - 1, 1);
    for (let j = 0; j < K; j++) {
      if (j === k) continue;
      const v = pcm[j * K + k]! - perEntry;
      pcm[j * K + k] = v < 0 ? 0 : Math.trunc(v);
    }
    pcm[k * K + k] = MIN_EXAMPLES_PER_CLASS;
  }
  return pcm;
}

function maxClassCount(ci: ClassIndex): number {
  let m = 0;
  for (let k = 0; k < ci.counts.length; k++) m = Math.max(m, ci.counts[k]!);
  return m;
}

/**
 * For each given class k and each other class j, flag the pcm[j][k] examples labelled k with
 * the largest p_j - p_k.
 *
 * cleanlab takes the top of a full-length argsort per (k, j) in which other classes' examples
 * hold -1. We get the same set in one row-wise pass per class, keeping a bounded min-heap of the
 * best margins for every j at once (rows are read sequentially, most margins are rejected by a
 * single comparison). That set is only sort-independent when the cut value is unique, so we
 * track margins equal to the cut that were left out; on such a tie, and only then, the full
 * argsort is run so its tie order decides, as in cleanlab.
 *
 * The tie path follows our understanding of cleanlab's cut; the parity fixtures contain no tie
 * at any cut, so only the tie-free path is checked against real cleanlab output.
 */
export function pruneByNoiseRate(
  probs: Float64Array,
  numClasses: number,
  ci: ClassIndex,
  pcm: Int32Array,
  kind: ArgsortKind,
  mask: Uint8Array,
): void {
  const K = numClasses;
  const { order, start, counts } = ci;
  // Per-column heap bookkeeping for the current class (q indexes the columns being pruned).
  const cols = new Int32Array(K);
  const heapStart = new Int32Array(K);
  const heapCap = new Int32Array(K);
  const heapSize = new Int32Array(K);
  // Smallest kept margin once a heap is full; -Infinity before, so everything enters.
  const gate = new Float64Array(K);
  // Largest margin left out that equalled the gate at the time (a tie candidate at the cut).
  const leftOutAtGate = new Float64Array(K);
  let heapVal = new Float64Array(0);
  let heapPos = new Int32Array(0);
  const fallbackCols: number[] = [];

  for (let k = 0; k < K; k++) {
    const c = counts[k]!;
    if (c <= MIN_EXAMPLES_PER_CLASS) continue;
    const s = start[k]!;
    let nc = 0;
    let total = 0;
    fallbackCols.length = 0;
    for (let j = 0; j < K; j++) {
      const m = pcm[j * K + k]!;
      if (j === k || m <= 0) continue;
      // Pruning a whole class reaches into other classes' -1 entries: argsort decides.
      if (m >= c) {
        fallbackCols.push(j);
        continue;
      }
      cols[nc] = j;
      heapStart[nc] = total;
      heapCap[nc] = m;
      heapSize[nc] = 0;
      gate[nc] = -Infinity;
      leftOutAtGate[nc] = -Infinity;
      total += m;
      nc++;
    }
    if (total > heapVal.length) {
      heapVal = new Float64Array(total);
      heapPos = new Int32Array(total);
    }

    for (let u = 0; u < c; u++) {
      const base = order[s + u]! * K;
      const pk = probs[base + k]!;
      for (let q = 0; q < nc; q++) {
        const d = probs[base + cols[q]!]! - pk;
        const g = gate[q]!;
        if (d <= g) {
          if (d === g) leftOutAtGate[q] = d;
          continue;
        }
        const hs = heapStart[q]!;
        const size = heapSize[q]!;
        const capQ = heapCap[q]!;
        if (size < capQ) {
          // Sift up.
          let i = size;
          while (i > 0) {
            const parent = (i - 1) >> 1;
            const pv = heapVal[hs + parent]!;
            if (pv <= d) break;
            heapVal[hs + i] = pv;
            heapPos[hs + i] = heapPos[hs + parent]!;
            i = parent;
          }
          heapVal[hs + i] = d;
          heapPos[hs + i] = u;
          heapSize[q] = size + 1;
          if (size + 1 === capQ) gate[q] = heapVal[hs]!;
        } else {
          // Evict the smallest kept margin; it may tie with the final cut.
          const evicted = heapVal[hs]!;
          if (evicted > leftOutAtGate[q]!) leftOutAtGate[q] = evicted;
          // Sift down from the root.
          let i = 0;
          for (;;) {
            let child = 2 * i + 1;
            if (child >= capQ) break;
            if (child + 1 < capQ && heapVal[hs + child + 1]! < heapVal[hs + child]!) child++;
            const cv = heapVal[hs + child]!;
            if (cv >= d) break;
            heapVal[hs + i] = cv;
            heapPos[hs + i] = heapPos[hs + child]!;
            i = child;
          }
          heapVal[hs + i] = d;
          heapPos[hs + i] = u;
          gate[q] = heapVal[hs]!;
        }
      }
    }

    for (let q = 0; q < nc; q++) {
      const hs = heapStart[q]!;
      const capQ = heapCap[q]!;
      const cut = heapVal[hs]!;
      // Unique cut strictly above the fill value: the top m are fixed regardless of sort.
      if (leftOutAtGate[q]! < cut && cut > MARGIN_FILL) {
        for (let t = 0; t < capQ; t++) mask[order[s + heapPos[hs + t]!]!] = 1;
      } else {
        fallbackCols.push(cols[q]!);
      }
    }
    for (const j of fallbackCols) {
      const margins = new Float64Array(c);
      for (let u = 0; u < c; u++) {
        const base = order[s + u]! * K;
        margins[u] = probs[base + j]! - probs[base + k]!;
      }
      flagTopOfFullArgsort(margins, order, s, c, pcm[j * K + k]!, mask.length, kind, mask);
    }
  }
}

function flagTopOfFullArgsort(
  margins: Float64Array,
  order: Int32Array,
  s: number,
  c: number,
  m: number,
  n: number,
  kind: ArgsortKind,
  mask: Uint8Array,
): void {
  const full = new Float64Array(n).fill(MARGIN_FILL);
  for (let u = 0; u < c; u++) full[order[s + u]!] = margins[u]!;
  const sorted = argsort(full, kind);
  for (let t = Math.max(0, n - m); t < n; t++) mask[sorted[t]!] = 1;
}

/**
 * For each given class k, flag the examples labelled k whose p_k is below the value of rank
 * (count_k - pcm[k][k]) among them (np.partition semantics: ties at the cut stay unflagged).
 * Without ties that is exactly the (count_k - pcm[k][k]) smallest; the tie rule is our
 * understanding of cleanlab and is not exercised by the parity fixtures.
 */
export function pruneByClass(
  probs: Float64Array,
  numClasses: number,
  ci: ClassIndex,
  pcm: Int32Array,
  mask: Uint8Array,
): void {
  const K = numClasses;
  const { order, start, counts } = ci;
  const cap = maxClassCount(ci);
  const values = new Float64Array(cap);
  const scratch = new Float64Array(cap);
  for (let k = 0; k < K; k++) {
    const c = counts[k]!;
    if (c <= MIN_EXAMPLES_PER_CLASS) continue;
    const numIssues = c - pcm[k * K + k]!;
    if (numIssues <= 0) continue;
    const s = start[k]!;
    for (let u = 0; u < c; u++) values[u] = probs[order[s + u]! * K + k]!;
    if (numIssues >= c) {
      // Unreachable with a pruning matrix whose diagonal is >= 1; flag the whole class.
      for (let u = 0; u < c; u++) mask[order[s + u]!] = 1;
      continue;
    }
    scratch.set(values.subarray(0, c));
    const rank = selectKth(scratch, c, numIssues);
    for (let u = 0; u < c; u++) if (values[u]! < rank) mask[order[s + u]!] = 1;
  }
}
