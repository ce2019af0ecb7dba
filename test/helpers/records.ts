import fs from 'node:fs';

/** A valid TACRED record with every field in TACRED's order plus an unknown one. */
export function record(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    docid: `doc-${id}`,
    relation: 'per:title',
    token: ['Ada', 'Lovelace', 'was', 'a', 'mathematician', '.'],
    subj_start: 0,
    subj_end: 1,
    obj_start: 4,
    obj_end: 4,
    subj_type: 'PERSON',
    obj_type: 'TITLE',
    stanford_pos: ['NNP', 'NNP', 'VBD', 'DT', 'NN', '.'],
    stanford_ner: ['PERSON', 'PERSON', 'O', 'O', 'O', 'O'],
    stanford_head: [2, 5, 5, 5, 0, 5],
    stanford_deprel: ['compound', 'nsubj', 'cop', 'det', 'ROOT', 'punct'],
    extra_field: { nested: [1, 2, { k: 'v' }], note: 'kept verbatim' },
    ...overrides,
  };
}

export function writeJson(path: string, records: unknown[]): string {
  fs.writeFileSync(path, JSON.stringify(records, null, 2));
  return path;
}

export function writeJsonl(path: string, records: unknown[]): string {
  fs.writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}
