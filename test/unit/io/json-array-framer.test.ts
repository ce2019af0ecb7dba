import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArrayFramer } from '../../../src/main/core/io/json-array-framer';

function frame(text: string, cuts: number[]): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const framer = new JsonArrayFramer();
  const out: string[] = [];
  let start = 0;
  for (const cut of [...cuts.map((c) => Math.min(c, bytes.length)).sort((a, b) => a - b), bytes.length]) {
    out.push(...framer.push(bytes.subarray(start, Math.max(start, cut))).map((e) => e.text));
    start = Math.max(start, cut);
  }
  framer.end();
  return out;
}

// Strings full of the characters the framer must not be fooled by.
const tricky = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', ',', 'a', 'é', '😀', ' ', '\n') });
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(tricky, tie('node'), { maxKeys: 4 })),
})).node;
const records = fc.array(fc.dictionary(tricky, value, { maxKeys: 5 }), { maxLength: 8 });

describe('JsonArrayFramer', () => {
  it('yields exactly the elements of any array of objects, however the bytes are chunked', () => {
    fc.assert(
      fc.property(records, fc.array(fc.nat(4000), { maxLength: 12 }), fc.constantFrom(0, 1, 2), (items, cuts, indent) => {
        const text = JSON.stringify(items, null, indent || undefined);
        const framed = frame(text, cuts);
        expect(framed.map((t) => JSON.parse(t))).toEqual(items);
      }),
      { numRuns: 300 },
    );
  });

  it('reports truncation at any cut point', () => {
    fc.assert(
      fc.property(records.filter((r) => r.length > 0), fc.nat(), (items, at) => {
        const text = JSON.stringify(items);
        const cut = 1 + (at % (text.length - 1));
        expect(() => frame(text.slice(0, cut), [])).toThrow(/ends|truncated/);
      }),
      { numRuns: 200 },
    );
  });

  it('skips a UTF-8 byte order mark and gives byte offsets', () => {
    const framer = new JsonArrayFramer();
    const elements = framer.push(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[ {"a":1}, {"b":"}"} ]')]));
    framer.end();
    expect(elements.map((e) => [e.index, e.byteOffset, e.text])).toEqual([
      [0, 5, '{"a":1}'],
      [1, 14, '{"b":"}"}'],
    ]);
  });

  it('rejects trailing garbage and missing commas', () => {
    expect(() => frame('[{"a":1}] x', [])).toThrow(/after the closing/);
    expect(() => frame('[{"a":1} {"b":2}]', [])).toThrow(/expected "," or "]"/);
  });
});
