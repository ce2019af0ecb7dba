import { describe, expect, it } from 'vitest';
import { portableFileName } from '../../../src/main/core/io/portable-file-name';

describe('a user-given name as a plain file name', () => {
  it('keeps the last part, replaces what is not portable, never starts with a dot', () => {
    expect(portableFileName('train.json')).toBe('train.json');
    expect(portableFileName('../../evil name.json')).toBe('evil_name.json');
    expect(portableFileName('résumé 東京.jsonl')).toBe('r_sum____.jsonl');
    expect(portableFileName('.hidden')).toBe('_hidden');
  });

  it('caps the length at 100 and keeps the extension', () => {
    const long = `${'a'.repeat(150)}.json`;
    expect(portableFileName(long)).toBe(`${'a'.repeat(95)}.json`);
    const fits = `${'b'.repeat(93)}.jsonl`;
    expect(portableFileName(fits)).toBe(fits);
  });
});
