// Seeded inputs for tests: the core's mulberry32 stream (the same seed gives the same data on
// every run, so a failure names its seed and reproduces), generated TACRED-style training
// data, and the tie-heavy point clouds the neighbour strategies are checked on.

export { Rng, mulberry32 } from '../../src/main/core/random/seeded-rng';
export { syntheticTrainingSet } from '../../tools/demo-generator/training-set';

/**
 * A random number of +-1 prototype vectors (2 to 6), each with a random label. Points near them
 * (nearPrototype) have cosines that are multiples of 1/dim, so ties are exact and frequent.
 */
export function signPrototypes(rnd: () => number, dim: number, numLabels: number): { protos: number[][]; protoLabel: number[] } {
  const numProtos = 2 + Math.floor(rnd() * 5);
  const protos = Array.from({ length: numProtos }, () => Array.from({ length: dim }, () => (rnd() < 0.5 ? -1 : 1)));
  const protoLabel = protos.map(() => Math.floor(rnd() * numLabels));
  return { protos, protoLabel };
}

/** A random prototype and a copy of it with each sign flipped with probability `flip`. */
export function nearPrototype(rnd: () => number, protos: readonly number[][], flip: number): { proto: number; vector: number[] } {
  const proto = Math.floor(rnd() * protos.length);
  return { proto, vector: protos[proto]!.map((v) => (rnd() < flip ? -v : v)) };
}


/** A randomized case for a neighbour strategy: +-1 rows near a few prototypes, and their labels. */
export interface TieHeavyCase {
  /** Integer +-1 vectors: cosines are multiples of 1/dim, so ties are exact and frequent. */
  ints: number[][];
  labels: number[];
  numLabels: number;
  dim: number;
  k: number;
}

/**
 * The sizes of a randomized case (dim 4 or 16, n from `drawN`, 2 to 5 labels, k from 1 to
 * maxK) and its prototypes, drawn in that order from `rnd`.
 */
export function tieHeavyShape(
  rnd: () => number,
  drawN: (rnd: () => number) => number,
  maxK: number,
): { dim: number; n: number; numLabels: number; k: number; protos: number[][]; protoLabel: number[] } {
  const dim = rnd() < 0.5 ? 4 : 16;
  const n = drawN(rnd);
  const numLabels = 2 + Math.floor(rnd() * 4);
  const k = 1 + Math.floor(rnd() * maxK);
  return { dim, n, numLabels, k, ...signPrototypes(rnd, dim, numLabels) };
}
