import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PATCH_BYTES, readReferencePatch, writeReferencePatch } from '../../../src/main/core/io/reference-patch';
import { invalidFileMessage } from '../../helpers/refused';
import { tempDir } from '../../helpers/temp-dir';

function write(text: string, name = 'patch.json'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

function refused(text: string): Promise<string> {
  return invalidFileMessage(write(text), readReferencePatch);
}

describe('readReferencePatch: both styles', () => {
  it('reads a TACRev patch (array of {id, relation}), keeping file order and ignoring extra fields', async () => {
    const patch = await readReferencePatch(
      write('\uFEFF  \n[{"id": "e7798cd9", "relation": "no_relation"}, {"id": "e779865f", "relation": "per:date_of_death", "note": 1}, {"id": 42, "relation": "per:title"}]'),
    );
    expect(patch.style).toBe('tacrev');
    expect([...patch.labels]).toEqual([
      ['e7798cd9', 'no_relation'],
      ['e779865f', 'per:date_of_death'],
      ['42', 'per:title'],
    ]);
  });

  it('reads a Re-TACRED patch (object id -> label)', async () => {
    const patch = await readReferencePatch(write('{"61b3a5c8": "org:founded_by", "61b3a65f": "no_relation",\n "k\\"q": "per:title"}'));
    expect(patch.style).toBe('retacred');
    expect([...patch.labels]).toEqual([
      ['61b3a5c8', 'org:founded_by'],
      ['61b3a65f', 'no_relation'],
      ['k"q', 'per:title'],
    ]);
  });

  it('accepts a repeated id with the same label', async () => {
    expect((await readReferencePatch(write('[{"id": "a", "relation": "x"}, {"id": "a", "relation": "x"}]'))).labels.size).toBe(1);
    expect((await readReferencePatch(write('{"a": "x", "a": "x"}'))).labels.size).toBe(1);
  });
});

describe('readReferencePatch: errors name the file, the entry (or key) and the field', () => {
  it('an empty file', async () => {
    expect(await refused('  \n')).toMatch(/: is empty; expected a TACRev patch/);
  });

  it('neither an array nor an object', async () => {
    expect(await refused('"id","relation"\n')).toMatch(/: does not start with "\[" or "\{"; a reference patch is a JSON array/);
  });

  it('invalid JSON', async () => {
    expect(await refused('[{"id": "a", "relation": "x"},')).toMatch(/: not valid JSON/);
  });

  it('a TACRev entry without id', async () => {
    expect(await refused('[{"id": "a", "relation": "x"}, {"relation": "y"}]')).toMatch(/: entry 1, field "id": is missing/);
  });

  it('a TACRev entry whose relation is not a string', async () => {
    expect(await refused('[{"id": "a", "relation": 3}]')).toMatch(/: entry 0, field "relation": is 3: must be a string/);
  });

  it('a TACRev entry that is not an object', async () => {
    expect(await refused('[{"id": "a", "relation": "x"}, ["b", "y"]]')).toMatch(/: entry 1: is \["b","y"\], not an object/);
  });

  it('a TACRev duplicate id with conflicting labels', async () => {
    expect(await refused('[{"id": "a", "relation": "x"}, {"id": "b", "relation": "x"}, {"id": "a", "relation": "y"}]')).toMatch(
      /: entry 2: id "a" is labelled "y" but entry 0 labels it "x"/,
    );
  });

  it('a Re-TACRED label that is not a string', async () => {
    expect(await refused('{"a": "x", "b": {"relation": "y"}}')).toMatch(/: key "b": the label is \{"relation":"y"\}, not a non-empty string/);
    expect(await refused('{"a": null}')).toMatch(/: key "a": the label is null/);
  });

  it('a Re-TACRED duplicate key with conflicting labels (which JSON.parse would hide)', async () => {
    expect(await refused('{"a": "x", "b": "z", "a": "y"}')).toMatch(/: key "a": id "a" is labelled "y" but key "a" labels it "x"/);
  });

  it('a file over the size guard', async () => {
    const file = path.join(tempDir(), 'huge.json');
    const handle = fs.openSync(file, 'w');
    fs.ftruncateSync(handle, MAX_PATCH_BYTES + 1);
    fs.closeSync(handle);
    await expect(readReferencePatch(file)).rejects.toThrow(/huge\.json: is 200 MB; reference patches over 200 MB are not read/);
  });

  it('a missing file', async () => {
    await expect(readReferencePatch(path.join(tempDir(), 'nope.json'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('writeReferencePatch', () => {
  const entries: [string, string][] = [
    ['e1', 'no_relation'],
    ['e "2"', 'per:title'],
    ['e3', 'org:founded_by'],
    ['e1', 'no_relation'],
  ];

  it.each(['tacrev', 'retacred'] as const)('round-trips through readReferencePatch in %s style', async (style) => {
    const file = path.join(tempDir(), `${style}.json`);
    const written = await writeReferencePatch(file, style, entries);
    expect(written.count).toBe(3);
    expect(written.sha256).toMatch(/^[0-9a-f]{64}$/);
    const read = await readReferencePatch(file);
    expect(read.style).toBe(style);
    expect([...read.labels]).toEqual(entries.slice(0, 3));
    expect(fs.readdirSync(path.dirname(file))).toEqual([`${style}.json`]);
  });

  it('writes the published layouts', async () => {
    const dir = tempDir();
    await writeReferencePatch(path.join(dir, 't.json'), 'tacrev', [['a', 'x']]);
    await writeReferencePatch(path.join(dir, 'r.json'), 'retacred', [['a', 'x']]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 't.json'), 'utf8'))).toEqual([{ id: 'a', relation: 'x' }]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'))).toEqual({ a: 'x' });
  });

  it('refuses conflicting labels and leaves no file behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.json');
    fs.writeFileSync(file, 'previous content');
    await expect(writeReferencePatch(file, 'retacred', [['a', 'x'], ['a', 'y']])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(fs.readFileSync(file, 'utf8')).toBe('previous content');
    expect(fs.readdirSync(dir)).toEqual(['p.json']);
  });
});
