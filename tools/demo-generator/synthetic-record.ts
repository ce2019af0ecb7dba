// The records the generator writes: the core's TacredRecord (what Winnow's importer reads)
// with a string id and the fields real TACRED files carry besides. Key order matters:
// consumers diff exported files against inputs, and TACRED's own files list the keys in
// exactly TACRED_KEY_ORDER.

import type { TacredRecord } from '../../src/main/core/io/tacred-record';

export interface SyntheticRecord extends TacredRecord {
  id: string;
  docid: string;
  stanford_pos?: string[];
  stanford_ner?: string[];
  /** 1-based head index, 0 for the root. */
  stanford_head?: number[];
  stanford_deprel?: string[];
}

export const TACRED_KEY_ORDER = [
  'id',
  'docid',
  'relation',
  'token',
  'subj_start',
  'subj_end',
  'obj_start',
  'obj_end',
  'subj_type',
  'obj_type',
  'stanford_pos',
  'stanford_ner',
  'stanford_head',
  'stanford_deprel',
] as const;
