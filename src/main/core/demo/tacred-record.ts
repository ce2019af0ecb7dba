// The TACRED record shape as the generator writes it. Key order matters: consumers diff
// exported files against inputs, and TACRED's own files list the keys in exactly this order.

export interface TacredLikeRecord {
  id: string;
  docid: string;
  relation: string;
  token: string[];
  /** 0-based, inclusive. */
  subj_start: number;
  subj_end: number;
  obj_start: number;
  obj_end: number;
  subj_type: string;
  obj_type: string;
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
