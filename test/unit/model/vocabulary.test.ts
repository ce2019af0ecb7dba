import { describe, expect, it } from 'vitest';
import {
  PAD_ID,
  UNK_ID,
  buildVocabulary,
  featureIdsInto,
  loadTokenizer,
  vocabularyFromTokenizerJson,
  vocabularyToTokenizerJson,
} from '../../../src/main/core/model/builtin/vocabulary';
import { segmentFeatures } from '../../../src/main/core/model/builtin/segment-features';

const LISTS = [
  ['st:person', 'm:of', 'a:constructor'],
  ['st:person', 'm:of', 'mm:^|__proto__', 'e1:café'],
  ['st:person', 'mm:^|__proto__', 'a:constructor', 'm:rare', 'e1:café'],
  ['b:zzz', 'm:of', 'a:constructor', 'mm:^|__proto__', 'e1:café', 'x:[pad]'],
  ['x:[pad]'],
];

describe('buildVocabulary', () => {
  it('keeps features seen at least twice, by count then by string, after [PAD] and [UNK]', () => {
    const v = buildVocabulary(LISTS);
    expect(v.tokens).toEqual([
      '[PAD]',
      '[UNK]',
      'a:constructor',
      'e1:café',
      'm:of',
      'mm:^|__proto__',
      'st:person',
      'x:[pad]',
    ]);
    expect(v.ids.get('[PAD]')).toBe(PAD_ID);
    expect(v.ids.get('[UNK]')).toBe(UNK_ID);
    expect(v.ids.get('m:rare')).toBeUndefined();
  });

  it('caps the size by frequency and honours minCount', () => {
    expect(buildVocabulary(LISTS, { maxSize: 4 }).tokens).toEqual(['[PAD]', '[UNK]', 'a:constructor', 'e1:café']);
    expect(buildVocabulary(LISTS, { minCount: 1 }).tokens).toHaveLength(2 + 8);
    expect(() => buildVocabulary(LISTS, { maxSize: 1 })).toThrow(/no room/);
  });

  it('does not depend on the order of the examples', () => {
    expect(buildVocabulary([...LISTS].reverse()).tokens).toEqual(buildVocabulary(LISTS).tokens);
  });
});

describe('tokenizer.json round trip', () => {
  it('encodes joined features to the vocabulary ids through @huggingface/tokenizers', () => {
    const v = buildVocabulary(LISTS);
    const json = JSON.parse(JSON.stringify(vocabularyToTokenizerJson(v))) as unknown;
    const tokenizer = loadTokenizer(json);
    for (const features of LISTS) {
      const { ids, tokens } = tokenizer.encode(features.join(' '), { add_special_tokens: false });
      expect(tokens).toEqual(features);
      expect(ids).toEqual(features.map((f) => v.ids.get(f) ?? UNK_ID));
    }
    expect(tokenizer.token_to_id('[PAD]')).toBe(PAD_ID);
    expect(tokenizer.id_to_token(UNK_ID)).toBe('[UNK]');
  });

  it('encodes real segment features the same way', () => {
    const sentences = [
      ['Bill', 'Gates', 'founded', 'Microsoft', 'in', '1975', '.'],
      ['Microsoft', ',', 'founded', 'by', 'Bill', 'Gates', ',', 'is', 'based', 'in', 'Redmond', '.'],
      ['Gates', 'left', 'Microsoft', 'in', '2008', 'to', 'run', 'his', 'foundation', '.'],
    ];
    const lists = sentences.flatMap((tokens) => [
      segmentFeatures({ tokens, subjStart: 0, subjEnd: 0, objStart: 2, objEnd: 3, subjType: 'PERSON', objType: 'ORGANIZATION' }),
      segmentFeatures({ tokens, subjStart: 2, subjEnd: 2, objStart: 0, objEnd: 1, subjType: 'ORGANIZATION', objType: 'PERSON' }),
    ]);
    const v = buildVocabulary(lists);
    const tokenizer = loadTokenizer(JSON.parse(JSON.stringify(vocabularyToTokenizerJson(v))));
    for (const features of lists) {
      expect(tokenizer.encode(features.join(' ')).ids).toEqual(features.map((f) => v.ids.get(f) ?? UNK_ID));
    }
  });

  it('reads the vocabulary back from tokenizer.json', () => {
    const v = buildVocabulary(LISTS);
    const back = vocabularyFromTokenizerJson(JSON.parse(JSON.stringify(vocabularyToTokenizerJson(v))));
    expect(back.tokens).toEqual(v.tokens);
    expect([...back.ids]).toEqual([...v.ids]);
  });

  it('rejects tokenizer.json files it did not write', () => {
    expect(() => vocabularyFromTokenizerJson({ model: { type: 'BPE', vocab: {} } })).toThrow(/WordLevel/);
    expect(() => vocabularyFromTokenizerJson({ model: { type: 'WordLevel', vocab: { a: 0, b: 2 } } })).toThrow(/bad id/);
    expect(() => vocabularyFromTokenizerJson({ model: { type: 'WordLevel', vocab: { '[UNK]': 0, '[PAD]': 1 } } })).toThrow(/must be/);
    expect(() => loadTokenizer({ model: { type: 'WordLevel', vocab: {} } })).toThrow(/unk_token/);
  });
});

describe('featureIdsInto', () => {
  it('drops unknown features and stops at maxFeatures', () => {
    const v = buildVocabulary(LISTS);
    const out = new Int32Array(8).fill(-1);
    const lookup = (f: string): number | undefined => v.ids.get(f);
    expect(featureIdsInto(lookup, ['m:rare', 'm:of', '[UNK]', 'st:person', 'e1:café'], 2, out, 3)).toBe(2);
    expect([...out]).toEqual([-1, -1, -1, v.ids.get('m:of'), v.ids.get('st:person'), -1, -1, -1]);
  });
});
