import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitRenames, journalPathFor, recoverFolder, rollForward } from '../../../src/main/core/io/commit-journal';
import { tempDir } from '../../helpers/temp-dir';

const write = (file: string, text: string) => fs.writeFileSync(file, text);
const read = (file: string) => fs.readFileSync(file, 'utf8');

describe('commit journal', () => {
  it('renames a set of files as one unit and leaves no journal behind', () => {
    const dir = tempDir();
    const main = path.join(dir, 'a.json');
    write(main, 'old a');
    write(`${main}.manifest.json`, 'old m');
    write(path.join(dir, '.a.tmp'), 'new a');
    write(path.join(dir, '.m.tmp'), 'new m');
    commitRenames(main, [
      [path.join(dir, '.a.tmp'), main],
      [path.join(dir, '.m.tmp'), `${main}.manifest.json`],
    ]);
    expect([read(main), read(`${main}.manifest.json`)]).toEqual(['new a', 'new m']);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.json', 'a.json.manifest.json']);
  });

  it('refuses a rename that leaves the folder', () => {
    const dir = tempDir();
    const other = tempDir();
    write(path.join(dir, '.a.tmp'), 'x');
    write(path.join(dir, '.b.tmp'), 'x');
    expect(() => commitRenames(path.join(dir, 'a'), [[path.join(dir, '.a.tmp'), path.join(dir, 'a')], [path.join(dir, '.b.tmp'), path.join(other, 'b')]])).toThrow(/leaves the folder/);
  });

  it('rolls a journal left by a dead process forward, whatever was renamed already', () => {
    const dir = tempDir();
    const main = path.join(dir, 'a.json');
    write(main, 'new a'); // renamed before the "kill"
    write(`${main}.csv`, 'old csv');
    write(path.join(dir, '.csv.tmp'), 'new csv');
    // pid 2**22 + 1 is above Linux's pid_max default, so no process has it.
    write(journalPathFor(main), JSON.stringify({ version: 1, createdAt: 'x', pid: 4194305, renames: [{ from: '.a.tmp', to: 'a.json' }, { from: '.csv.tmp', to: 'a.json.csv' }] }));
    const recovered = recoverFolder(dir);
    expect(recovered.completed.map((f) => path.basename(f))).toEqual(['a.json', 'a.json.csv']);
    expect([read(main), read(`${main}.csv`)]).toEqual(['new a', 'new csv']);
    expect(fs.existsSync(journalPathFor(main))).toBe(false);
  });

  it('leaves the journal of a live process alone', () => {
    const dir = tempDir();
    const main = path.join(dir, 'a.json');
    write(path.join(dir, '.a.tmp'), 'new a');
    write(journalPathFor(main), JSON.stringify({ version: 1, createdAt: 'x', pid: process.ppid, renames: [{ from: '.a.tmp', to: 'a.json' }] }));
    expect(recoverFolder(dir).completed).toEqual([]);
    expect(fs.existsSync(journalPathFor(main))).toBe(true);
  });

  it('says which file is not a journal instead of guessing', () => {
    const dir = tempDir();
    const journal = journalPathFor(path.join(dir, 'a.json'));
    write(journal, '{"version": 2}');
    expect(() => rollForward(journal)).toThrow(/not a Winnow commit journal .*remove it by hand/);
    expect(() => rollForward(journal)).toThrow(journal);
  });

  it("sweeps temporary files of processes that are gone, never a live one's", () => {
    const dir = tempDir();
    const dead = `.out.json.4194305.0123abcd.tmp`;
    const live = `.out.json.${process.pid}.89abcdef.tmp`;
    write(path.join(dir, dead), 'partial');
    write(path.join(dir, live), 'in progress');
    write(path.join(dir, 'out.json'), 'kept');
    expect(recoverFolder(dir).removedTemporaryFiles.map((f) => path.basename(f))).toEqual([dead]);
    expect(fs.readdirSync(dir).sort()).toEqual([live, 'out.json'].sort());
  });
});
