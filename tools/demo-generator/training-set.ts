// A generated dataset in the shape the built-in model trains on: the examples as the core's
// RelationExample, the given (noisy) and true labels as indices into ALL_LABELS. For the model
// tests and the built-in model's benchmark.

import type { RelationExample } from '../../src/main/core/model/encoded-batch';
import { ALL_LABELS } from './relations';
import type { SyntheticRecord } from './synthetic-record';
import { generateSyntheticTacred, type SyntheticTacredOptions } from './synthetic-tacred';

export interface SyntheticTrainingSet {
  readonly records: SyntheticRecord[];
  readonly examples: RelationExample[];
  /** ALL_LABELS: the negative label first, then TACRED's relations. */
  readonly labelNames: string[];
  /** Given label per example, as an index into labelNames. */
  readonly labels: Int32Array;
  /** True label per example (what its sentence expresses). */
  readonly trueLabels: Int32Array;
  readonly noisyIds: string[];
}

function relationExampleOf(record: SyntheticRecord): RelationExample {
  return {
    tokens: record.token,
    subjStart: record.subj_start,
    subjEnd: record.subj_end,
    objStart: record.obj_start,
    objEnd: record.obj_end,
    subjType: record.subj_type,
    objType: record.obj_type,
  };
}

export function syntheticTrainingSet(options: SyntheticTacredOptions): SyntheticTrainingSet {
  const { records, trueLabels, noisyIds } = generateSyntheticTacred(options);
  const labelNames = [...ALL_LABELS];
  const labelIndex = new Map(labelNames.map((label, i) => [label, i]));
  const indexOf = (label: string | undefined): number => {
    const i = label === undefined ? undefined : labelIndex.get(label);
    if (i === undefined) throw new Error(`unknown label ${label}`);
    return i;
  };
  return {
    records,
    examples: records.map(relationExampleOf),
    labelNames,
    labels: Int32Array.from(records, (r) => indexOf(r.relation)),
    trueLabels: Int32Array.from(records, (r) => indexOf(trueLabels.get(r.id))),
    noisyIds,
  };
}
