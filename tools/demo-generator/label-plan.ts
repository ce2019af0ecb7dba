// Decides, before any text is written, every record's true label, its entity types and the
// label it is given (the noisy one). Exact counts (largest-remainder apportionment, sampling
// without replacement) rather than per-record coin flips keep small datasets on target: the
// demo's 1,200 records get the share of negatives and the noise rates that were asked for.

import { Rng, mixSeed } from '../../src/main/core/random/seeded-rng';
import { WeightedChoice } from './weighted-choice';
import {
  ALL_LABELS,
  NEGATIVE_ONLY_PAIRS,
  RELATION_SIGNATURES,
  TACRED_RELATIONS,
  type EntityType,
  type SubjectType,
} from './relations';

export interface TypeSignature {
  readonly subj: SubjectType;
  readonly obj: EntityType;
}

/** Zipf exponent over the relation frequency ranks; 1 gives TACRED-like head and tail. */
const ZIPF_EXPONENT = 1;
/** Share of negatives drawn from pairs no relation admits. */
const NEGATIVE_ONLY_SHARE = 0.15;
/** Share of random flips that pick a label the entity types allow (the hard kind of noise). */
const TYPE_COMPATIBLE_FLIP_SHARE = 0.5;
const PLAN_STREAM = 0x504c414e;

export const SIGNATURES: readonly TypeSignature[] = (() => {
  const list: TypeSignature[] = [];
  const add = (subj: SubjectType, obj: EntityType): void => {
    if (!list.some((s) => s.subj === subj && s.obj === obj)) list.push({ subj, obj });
  };
  for (const relation of TACRED_RELATIONS) {
    const signature = RELATION_SIGNATURES[relation];
    for (const option of signature.obj) add(signature.subj, option.type);
  }
  for (const [subj, obj] of NEGATIVE_ONLY_PAIRS) add(subj, obj);
  return list;
})();

export function signatureIndex(subj: SubjectType, obj: EntityType): number {
  return SIGNATURES.findIndex((s) => s.subj === subj && s.obj === obj);
}

export const ZIPF_WEIGHTS: readonly number[] = TACRED_RELATIONS.map((_, rank) => 1 / Math.pow(rank + 1, ZIPF_EXPONENT));

/** Per relation (label index - 1): its signatures and how to choose among them. */
const POSITIVE_SIGNATURES = TACRED_RELATIONS.map((relation) => {
  const signature = RELATION_SIGNATURES[relation];
  return {
    indices: signature.obj.map((option) => signatureIndex(signature.subj, option.type)),
    choice: new WeightedChoice(signature.obj.map((option) => option.weight)),
  };
});

/** Negatives mirror the positives' type pairs, so that types alone never reveal the label. */
const NEGATIVE_SIGNATURE_CHOICE = (() => {
  const weights = new Array<number>(SIGNATURES.length).fill(0);
  const zipfTotal = ZIPF_WEIGHTS.reduce((a, b) => a + b, 0);
  TACRED_RELATIONS.forEach((relation, r) => {
    const signature = RELATION_SIGNATURES[relation];
    const optionTotal = signature.obj.reduce((a, o) => a + o.weight, 0);
    for (const option of signature.obj) {
      const s = signatureIndex(signature.subj, option.type);
      weights[s] = (weights[s] ?? 0) + ((1 - NEGATIVE_ONLY_SHARE) * (ZIPF_WEIGHTS[r] ?? 0) * option.weight) / (zipfTotal * optionTotal);
    }
  });
  for (const [subj, obj] of NEGATIVE_ONLY_PAIRS) {
    const s = signatureIndex(subj, obj);
    weights[s] = (weights[s] ?? 0) + NEGATIVE_ONLY_SHARE / NEGATIVE_ONLY_PAIRS.length;
  }
  return new WeightedChoice(weights);
})();

/** Label indices whose types fit each signature. */
const COMPATIBLE_LABELS: readonly (readonly number[])[] = SIGNATURES.map((sig) =>
  TACRED_RELATIONS.flatMap((relation, r) => {
    const signature = RELATION_SIGNATURES[relation];
    return signature.subj === sig.subj && signature.obj.some((o) => o.type === sig.obj) ? [r + 1] : [];
  }),
);

/** Largest-remainder apportionment of `total` items over `weights`. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const counts = exact.map(Math.floor);
  let remaining = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (remaining <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    remaining--;
  }
  return counts;
}

export interface LabelPlanOptions {
  readonly n: number;
  readonly seed: number;
  readonly negativeShare: number;
  readonly falseNegativeRate: number;
  readonly randomRate: number;
}

export interface LabelPlan {
  readonly size: number;
  /** Indices into ALL_LABELS (0 is no_relation). */
  readonly trueLabel: Uint8Array;
  readonly givenLabel: Uint8Array;
  /** Indices into SIGNATURES: the subject and object types of each record. */
  readonly signature: Uint8Array;
}

function pickOtherLabel(rng: Rng, trueLabel: number, signature: number): number {
  if (rng.chance(TYPE_COMPATIBLE_FLIP_SHARE)) {
    const compatible = (COMPATIBLE_LABELS[signature] ?? []).filter((l) => l !== trueLabel);
    if (trueLabel !== 0) compatible.push(0);
    if (compatible.length > 0) return rng.pick(compatible);
  }
  const other = rng.int(ALL_LABELS.length - 1);
  return other >= trueLabel ? other + 1 : other;
}

export function planLabels(options: LabelPlanOptions): LabelPlan {
  const { n } = options;
  const rng = new Rng(mixSeed(options.seed, PLAN_STREAM));
  const negatives = Math.round(n * options.negativeShare);
  const positives = n - negatives;
  const relationCount = TACRED_RELATIONS.length;

  // Every relation appears at least once whenever there is room for all of them.
  const floor = positives >= relationCount ? 1 : 0;
  const counts = apportion(positives - floor * relationCount, ZIPF_WEIGHTS).map((c) => c + floor);

  const trueLabel = new Uint8Array(n);
  let cursor = negatives;
  counts.forEach((count, r) => {
    trueLabel.fill(r + 1, cursor, cursor + count);
    cursor += count;
  });
  rng.sampleInPlace(trueLabel, n);

  const signature = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const label = trueLabel[i] as number;
    if (label === 0) {
      signature[i] = NEGATIVE_SIGNATURE_CHOICE.sample(rng);
    } else {
      const options = POSITIVE_SIGNATURES[label - 1];
      signature[i] = options?.indices[options.choice.sample(rng)] ?? 0;
    }
  }

  // The first record of each relation keeps its label, so that "every relation present"
  // holds for the given labels too, not only for the true ones.
  const protectedRecord = new Uint8Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const label = trueLabel[i] as number;
    if (label !== 0 && !seen.has(label)) {
      seen.add(label);
      protectedRecord[i] = 1;
    }
  }

  const givenLabel = trueLabel.slice();
  const flipped = new Uint8Array(n);

  const positiveCandidates: number[] = [];
  for (let i = 0; i < n; i++) if (trueLabel[i] !== 0 && !protectedRecord[i]) positiveCandidates.push(i);
  const falseNegatives = Math.min(positiveCandidates.length, Math.round(positives * options.falseNegativeRate));
  rng.sampleInPlace(positiveCandidates, falseNegatives);
  for (let k = 0; k < falseNegatives; k++) {
    const i = positiveCandidates[k] as number;
    givenLabel[i] = 0;
    flipped[i] = 1;
  }

  const anyCandidates: number[] = [];
  for (let i = 0; i < n; i++) if (!flipped[i] && !protectedRecord[i]) anyCandidates.push(i);
  const randomFlips = Math.min(anyCandidates.length, Math.round(n * options.randomRate));
  rng.sampleInPlace(anyCandidates, randomFlips);
  for (let k = 0; k < randomFlips; k++) {
    const i = anyCandidates[k] as number;
    givenLabel[i] = pickOtherLabel(rng, trueLabel[i] as number, signature[i] as number);
  }

  return { size: n, trueLabel, givenLabel, signature };
}
