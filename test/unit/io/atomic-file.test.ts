import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFileWriter } from '../../../src/main/core/io/atomic-file';
import { tempDir } from '../../helpers/temp-dir';

describe('AtomicFileWriter', () => {
  it('hashes what it writes', async () => {
    const dir = tempDir();
    const writer = new AtomicFileWriter(path.join(dir, 'f.txt'));
    await writer.open();
    await writer.write('hello ');
    await writer.write('world');
    const sha = await writer.commit();
    expect(sha).toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
    expect(fs.readFileSync(path.join(dir, 'f.txt'), 'utf8')).toBe('hello world');
  });
});
