import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewriteRelation, toSingleLine, topLevelValueSpans } from '../../../src/main/core/export/rewrite-relation';

/** Member names of the top-level object in text order (JSON.parse would reorder "10"). */
function memberOrder(text: string): string[] {
  const names: string[] = [];
  // An independent walk over the depth-1 keys, simpler than the scanner under test.
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const literal = text.slice(i, j + 1);
      let k = j + 1;
      while (/\s/.test(text[k] ?? '')) k++;
      if (depth === 1 && text[k] === ':') names.push(JSON.parse(literal) as string);
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return names;
}

describe('rewriteRelation', () => {
  it('changes only the relation value, keeping integer-like keys, unknown fields and spacing', () => {
    const raw = '{"id": "x1", "10": [1, 2.50, 1e3], "relation"  :  "no_relation", "extra": {"relation": "inner", "note": "a \\"quoted\\" relation: \\u00e9"}, "token": ["a", "}"]}';
    const out = rewriteRelation(raw, 'per:title');
    expect(out).toBe(raw.replace('"no_relation"', '"per:title"'));
    expect(memberOrder(out)).toEqual(['id', '10', 'relation', 'extra', 'token']);
    // The naive approach would move "10" first and respell 2.50 and 1e3.
    expect(JSON.stringify(JSON.parse(raw))).not.toContain('"id":"x1","10"');
  });

  it('finds the key however it is spelt and whatever surrounds it, and rewrites every repeat', () => {
    expect(rewriteRelation('{"rel\\u0061tion":"a"}', 'b')).toBe('{"rel\\u0061tion":"b"}');
    expect(rewriteRelation('{\n  "relation": "a",\n  "id": 3\n}', 'org:founded_by')).toBe('{\n  "relation": "org:founded_by",\n  "id": 3\n}');
    expect(rewriteRelation('{"relation":"a","x":1,"relation":"c"}', 'b')).toBe('{"relation":"b","x":1,"relation":"b"}');
    expect(rewriteRelation('{"relation":null}', 'b')).toBe('{"relation":"b"}');
    expect(topLevelValueSpans('{"a": {"relation": 1}, "relation": [1, {"b": 2}]}', 'relation')).toEqual([{ start: 35, end: 48 }]);
    expect(rewriteRelation('{"relation":"a"}', 'quote " and \\ and \u2028')).toBe(`{"relation":${JSON.stringify('quote " and \\ and \u2028')}}`);
  });

  it('refuses a record without a top-level relation, naming the record', () => {
    expect(() => rewriteRelation('{"id": "r9", "extra": {"relation": "x"}}', 'b', 'split "train", record 4 (id "r9")')).toThrow(
      'split "train", record 4 (id "r9"): has no top-level "relation" field to rewrite',
    );
    expect(() => rewriteRelation('[1]', 'b')).toThrow(/not a JSON object/);
    expect(() => rewriteRelation('{"relation": "a"', 'b')).toThrow(/expected "," or "}"/);
  });

  it('equals parse, set, compare for any record, and keeps member order (property)', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.nat({ max: 99 }).map(String), fc.constantFrom('id', 'token', 'relation_x'));
    const member = fc.tuple(key.filter((k) => k !== 'relation'), fc.jsonValue({ maxDepth: 3 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(member, { selector: ([k]) => k, maxLength: 8 }),
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        fc.string(),
        fc.constantFrom(undefined, 1, 2, '\t'),
        (members, at, oldValue, label, indent) => {
          const entries: [string, unknown][] = [...members];
          entries.splice(at % (entries.length + 1), 0, ['relation', oldValue]);
          const pad = indent === undefined ? '' : `\n${typeof indent === 'number' ? ' '.repeat(indent) : indent}`;
          const raw = `{${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${JSON.stringify(v, null, indent)}`).join(',')}${indent === undefined ? '' : '\n'}}`;
          const out = rewriteRelation(raw, label);
          expect(JSON.parse(out)).toEqual({ ...(JSON.parse(raw) as object), relation: label });
          expect(memberOrder(out)).toEqual(entries.map(([k]) => k));
          const single = toSingleLine(out);
          expect(single).not.toMatch(/[\r\n]/);
          expect(JSON.parse(single)).toEqual(JSON.parse(out));
          expect(memberOrder(single)).toEqual(entries.map(([k]) => k));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('toSingleLine', () => {
  it('leaves one-line records byte for byte and folds pretty-printed ones without reordering', () => {
    expect(toSingleLine('{"b": 1, "10": "x y"}')).toBe('{"b": 1, "10": "x y"}');
    expect(toSingleLine('{\r\n  "b": 1,\r\n  "10": [\n    "x  y"\n  ]\n}')).toBe('{"b": 1,"10": ["x  y"]}');
  });
});
