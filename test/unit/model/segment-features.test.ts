import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { betweenLengthBucket, normalizeToken, SEGMENT_FEATURE_SET, segmentFeatures, type FeatureInput } from '../../../src/main/core/model/builtin/segment-features';

const SENTENCE = ['In', '1990', ',', 'John', 'Smith', 'founded', 'Acme', 'Corp', 'in', 'Boston', '.'];

function example(overrides: Partial<FeatureInput> = {}): FeatureInput {
  return {
    tokens: SENTENCE,
    subjStart: 3,
    subjEnd: 4,
    objStart: 6,
    objEnd: 7,
    subjType: 'PERSON',
    objType: 'ORGANIZATION',
    ...overrides,
  };
}

describe('segmentFeatures', () => {
  it('tags every segment, with types, order, between-length and between bigrams (set /1)', () => {
    expect(segmentFeatures(example(), 'winnow-segment-bow/1')).toEqual([
      'st:person',
      'ot:organization',
      'tp:person|organization',
      'ord:subj-first',
      'len:1',
      'e1:john',
      'e1:smith',
      'e2:acme',
      'e2:corp',
      's:john',
      's:smith',
      'o:acme',
      'o:corp',
      'b:in',
      'b:0000',
      'b:,',
      'a:in',
      'a:boston',
      'a:.',
      'm:founded',
      'mm:^|founded',
      'mm:founded|$',
    ]);
  });

  it('adds, in set /2 (the default), each between word tagged with the argument that comes first', () => {
    const v1 = segmentFeatures(example(), 'winnow-segment-bow/1');
    expect(SEGMENT_FEATURE_SET).toBe('winnow-segment-bow/2');
    expect(segmentFeatures(example())).toEqual(segmentFeatures(example(), 'winnow-segment-bow/2'));
    // /2 is /1 with the tagged words after it, so a truncated input loses them first.
    expect(segmentFeatures(example())).toEqual([...v1, 'md:S|founded']);
    const words = ['Acme', 'was', 'founded', 'by', 'John', '.'];
    const subjectFirst = segmentFeatures({ tokens: words, subjStart: 0, subjEnd: 0, objStart: 4, objEnd: 4, subjType: 'ORG', objType: 'PERSON' });
    const objectFirst = segmentFeatures({ tokens: words, subjStart: 4, subjEnd: 4, objStart: 0, objEnd: 0, subjType: 'PERSON', objType: 'ORG' });
    expect(subjectFirst.filter((f) => f.startsWith('md:'))).toEqual(['md:S|was', 'md:S|founded', 'md:S|by']);
    expect(objectFirst.filter((f) => f.startsWith('md:'))).toEqual(['md:O|was', 'md:O|founded', 'md:O|by']);
    // The untagged words stay the same whichever argument comes first.
    expect(subjectFirst.filter((f) => f.startsWith('m:'))).toEqual(objectFirst.filter((f) => f.startsWith('m:')));
    // Adjacent arguments have no between words to tag.
    const adjacent = { tokens: ['Alice', 'Bob'], subjStart: 0, subjEnd: 0, objStart: 1, objEnd: 1, subjType: 'PERSON', objType: 'PERSON' };
    expect(segmentFeatures(adjacent)).toEqual(segmentFeatures(adjacent, 'winnow-segment-bow/1'));
  });

  it('orders segments by position when the subject comes after the object', () => {
    const features = segmentFeatures(example({ subjStart: 6, subjEnd: 7, objStart: 3, objEnd: 4, subjType: 'ORGANIZATION', objType: 'PERSON' }));
    expect(features).toContain('ord:obj-first');
    expect(features).toContain('tp:organization|person');
    // First/second follow the sentence; s/o follow the roles.
    expect(features).toEqual(expect.arrayContaining(['e1:john', 'e2:acme', 's:acme', 's:corp', 'o:john', 'o:smith']));
    expect(features).not.toContain('e1:acme');
    expect(features.filter((f) => f.startsWith('b:'))).toEqual(['b:in', 'b:0000', 'b:,']);
    expect(features.filter((f) => f.startsWith('m:'))).toEqual(['m:founded']);
    expect(features.filter((f) => f.startsWith('a:'))).toEqual(['a:in', 'a:boston', 'a:.']);
  });

  it('keeps at most four tokens of context on each side', () => {
    const words = ['the', 'old', 'man', 'and', 'his', 'dog', 'S', 'met', 'O', 'in', 'the', 'park', 'at', 'noon'];
    const f2 = segmentFeatures({ tokens: words, subjStart: 6, subjEnd: 6, objStart: 8, objEnd: 8, subjType: 'A', objType: 'B' });
    expect(f2.filter((f) => f.startsWith('b:'))).toEqual(['b:man', 'b:and', 'b:his', 'b:dog']);
    expect(f2.filter((f) => f.startsWith('a:'))).toEqual(['a:in', 'a:the', 'a:park', 'a:at']);
  });

  it('handles entities at the sentence edges and adjacent entities', () => {
    const tokens = ['Alice', 'Bob'];
    const features = segmentFeatures({ tokens, subjStart: 0, subjEnd: 0, objStart: 1, objEnd: 1, subjType: 'PERSON', objType: 'PERSON' });
    expect(features).toEqual(['st:person', 'ot:person', 'tp:person|person', 'ord:subj-first', 'len:0', 'e1:alice', 'e2:bob', 's:alice', 'o:bob']);
    const reversed = segmentFeatures({ tokens, subjStart: 1, subjEnd: 1, objStart: 0, objEnd: 0, subjType: 'PERSON', objType: 'PERSON' });
    expect(reversed).toEqual(['st:person', 'ot:person', 'tp:person|person', 'ord:obj-first', 'len:0', 'e1:alice', 'e2:bob', 's:bob', 'o:alice']);
  });

  it('treats overlapping spans as having nothing between them', () => {
    const features = segmentFeatures(example({ subjStart: 3, subjEnd: 4, objStart: 4, objEnd: 5 }));
    expect(features).toContain('len:0');
    expect(features.some((f) => f.startsWith('m:') || f.startsWith('mm:'))).toBe(false);
    expect(features.filter((f) => f.startsWith('a:'))).toEqual(['a:acme', 'a:corp', 'a:in', 'a:boston']);
  });

  it('buckets the between-length', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 8, 9, 12, 13, 20, 21, 90].map(betweenLengthBucket)).toEqual([
      '0', '1', '2', '3', '4-5', '4-5', '6-8', '6-8', '9-12', '9-12', '13-20', '13-20', '21+', '21+',
    ]);
  });

  it('normalises case, digits (any script) and whitespace inside a token', () => {
    expect(normalizeToken('McDonald')).toBe('mcdonald');
    expect(normalizeToken('12 500')).toBe('00_000');
    expect(normalizeToken('٣٤')).toBe('00');
    expect(normalizeToken('')).toBe('_');
  });

  it('is deterministic, deduplicated and whitespace-free on arbitrary input', () => {
    const token = fc.oneof(fc.constantFrom('the', 'The', 'of', '1990', 'a b', ' ', '', 'x\ty', '|', '^'), fc.string({ maxLength: 6 }));
    const arbitraryExample = fc
      .array(token, { minLength: 1, maxLength: 30 })
      .chain((tokens) => {
        const index = fc.integer({ min: 0, max: tokens.length - 1 });
        return fc.record({
          tokens: fc.constant(tokens),
          a: index,
          b: index,
          c: index,
          d: index,
          subjType: fc.constantFrom('PERSON', 'ORGANIZATION', 'CITY'),
          objType: fc.constantFrom('PERSON', 'DATE', 'STATE OR PROVINCE'),
        });
      })
      .map(({ tokens, a, b, c, d, subjType, objType }) => ({
        tokens,
        subjStart: Math.min(a, b),
        subjEnd: Math.max(a, b),
        objStart: Math.min(c, d),
        objEnd: Math.max(c, d),
        subjType,
        objType,
      }));
    fc.assert(
      fc.property(arbitraryExample, (ex) => {
        const first = segmentFeatures(ex);
        expect(segmentFeatures({ ...ex, tokens: [...ex.tokens] })).toEqual(first);
        expect(new Set(first).size).toBe(first.length);
        for (const f of first) expect(f).toMatch(/^\S+$/);
        expect(first.filter((f) => f.startsWith('ord:'))).toHaveLength(1);
        expect(first.filter((f) => f.startsWith('len:'))).toHaveLength(1);
        // Every set extends the one before it, in order.
        const v1 = segmentFeatures(ex, 'winnow-segment-bow/1');
        expect(first.slice(0, v1.length)).toEqual(v1);
        expect(first.slice(v1.length).every((f) => f.startsWith('md:'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
