import { describe, expect, it } from 'vitest';
import { splitNameFromFile, withUserFileNames } from '../../../src/renderer/src/app/file-names';

describe('files as the user named them', () => {
  it('replaces server upload paths by the name the user chose', () => {
    const serverPath = '/home/me/.config/winnow/uploads/59d1c0de-1111-4222-8333-944455556666-train.json';
    const message = `${serverPath}: record 12 (id "x"): field subj_end: must be an integer`;
    expect(withUserFileNames(message, new Map([[serverPath, 'train.json']]))).toBe('train.json: record 12 (id "x"): field subj_end: must be an integer');
    // An upload the page did not make (another window): the name part the server kept.
    expect(withUserFileNames(`Cannot read “${serverPath}”`)).toBe('Cannot read “train.json”');
    expect(withUserFileNames('C:\\Users\\me\\AppData\\winnow\\uploads\\59d1c0de-1111-4222-8333-944455556666-dev.jsonl is empty')).toBe('dev.jsonl is empty');
    expect(withUserFileNames('/data/exports/train.json written')).toBe('/data/exports/train.json written');
  });

  it('offers the split name from the file name', () => {
    expect(splitNameFromFile('test.json', ['train', 'dev'])).toBe('test');
    expect(splitNameFromFile('/data/semeval/train.jsonl', [])).toBe('train');
    expect(splitNameFromFile('TACRED dev (v1).json', [])).toBe('TACRED_dev_v1_');
    expect(splitNameFromFile('dev.jsonl.gz', [])).toBe('dev');
    expect(splitNameFromFile('train.json', ['train', 'train-2'])).toBe('train-3');
    expect(splitNameFromFile('.json', [])).toBe('split');
    expect(splitNameFromFile('x'.repeat(100) + '.json', [])).toMatch(/^x{64}$/);
    expect(splitNameFromFile('x'.repeat(100) + '.json', ['x'.repeat(64)])).toMatch(/^x{60}-2$/);
  });
});
