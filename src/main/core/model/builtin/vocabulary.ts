/**
 * Feature vocabulary of the built-in model and its Hugging Face `tokenizer.json` form.
 *
 * Shipping the vocabulary as a WordLevel tokenizer (WhitespaceSplit pre-tokenizer) makes the
 * built-in model an ordinary model package: `tokenizer.encode(features.join(' '))` gives the
 * feature ids, in Winnow through @huggingface/tokenizers and in Python through `tokenizers`.
 */
import { Tokenizer } from '@huggingface/tokenizers';

export const PAD_TOKEN = '[PAD]';
export const UNK_TOKEN = '[UNK]';
export const PAD_ID = 0;
export const UNK_ID = 1;
const SPECIAL_TOKENS = [PAD_TOKEN, UNK_TOKEN] as const;

export const DEFAULT_MIN_COUNT = 2;
export const DEFAULT_MAX_VOCABULARY = 1 << 17;

export interface Vocabulary {
  /** tokens[id]; ids 0 and 1 are [PAD] and [UNK]. */
  readonly tokens: readonly string[];
  readonly ids: ReadonlyMap<string, number>;
}

export interface VocabularyOptions {
  /** Features seen in fewer examples than this map to [UNK] (default 2). */
  minCount?: number;
  /** Cap on the size, specials included (default 2^17); the most frequent features win. */
  maxSize?: number;
}

/** Code-unit order: locale-independent, so the same data gives the same ids everywhere. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fromTokens(tokens: readonly string[]): Vocabulary {
  const ids = new Map<string, number>();
  tokens.forEach((token, id) => {
    if (ids.has(token)) throw new Error(`vocabulary: duplicate token ${JSON.stringify(token)}`);
    ids.set(token, id);
  });
  return { tokens, ids };
}

/**
 * Counts each feature once per example (feature lists are deduplicated), keeps those seen at
 * least `minCount` times, by descending count then by string.
 */
export function buildVocabulary(featureLists: Iterable<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
  const minCount = options.minCount ?? DEFAULT_MIN_COUNT;
  const maxSize = options.maxSize ?? DEFAULT_MAX_VOCABULARY;
  if (maxSize < SPECIAL_TOKENS.length) throw new Error(`vocabulary: maxSize ${maxSize} leaves no room for [PAD] and [UNK]`);
  const counts = new Map<string, number>();
  for (const features of featureLists) {
    for (const feature of features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  }
  const kept: [string, number][] = [];
  for (const entry of counts) {
    if (entry[1] >= minCount && !SPECIAL_TOKENS.includes(entry[0] as (typeof SPECIAL_TOKENS)[number])) kept.push(entry);
  }
  kept.sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]));
  const tokens = [...SPECIAL_TOKENS, ...kept.slice(0, maxSize - SPECIAL_TOKENS.length).map((e) => e[0])];
  return fromTokens(tokens);
}

/** Ids that carry weight: [PAD], [UNK] and lookups that found nothing do not. */
export function isKnownFeatureId(id: number | undefined): id is number {
  return id !== undefined && id !== PAD_ID && id !== UNK_ID;
}

/**
 * Ids of one example's features: unknown features are dropped rather than sent as [UNK], so
 * that rare words neither add weight nor use up the fixed input width; at most `maxFeatures`,
 * in feature order. Returns how many ids were written into `out` from `offset`.
 */
export function featureIdsInto(
  lookup: (feature: string) => number | undefined,
  features: readonly string[],
  maxFeatures: number,
  out: Int32Array,
  offset: number,
): number {
  let written = 0;
  for (const feature of features) {
    if (written >= maxFeatures) break;
    const id = lookup(feature);
    if (!isKnownFeatureId(id)) continue;
    out[offset + written] = id;
    written++;
  }
  return written;
}

/** The parts of tokenizer.json this module writes and reads back. */
export interface WordLevelTokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: {
    id: number;
    content: string;
    single_word: boolean;
    lstrip: boolean;
    rstrip: boolean;
    normalized: boolean;
    special: boolean;
  }[];
  normalizer: null;
  pre_tokenizer: { type: 'WhitespaceSplit' };
  post_processor: null;
  decoder: null;
  model: { type: 'WordLevel'; vocab: Record<string, number>; unk_token: string };
}

export function vocabularyToTokenizerJson(vocabulary: Vocabulary): WordLevelTokenizerJson {
  // A null-prototype object, so a feature named like an Object.prototype member ("a:constructor")
  // is an ordinary key.
  const vocab = Object.create(null) as Record<string, number>;
  vocabulary.tokens.forEach((token, id) => {
    vocab[token] = id;
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: UNK_TOKEN },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a WordLevel tokenizer.json back into a vocabulary (ids must be 0..n-1 with no gaps). */
export function vocabularyFromTokenizerJson(json: unknown): Vocabulary {
  if (!isRecord(json) || !isRecord(json.model) || json.model.type !== 'WordLevel' || !isRecord(json.model.vocab)) {
    throw new Error('tokenizer.json: expected a WordLevel model with a vocab object');
  }
  const entries = Object.entries(json.model.vocab);
  const tokens: string[] = new Array<string>(entries.length);
  for (const [token, id] of entries) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= entries.length || tokens[id] !== undefined) {
      throw new Error(`tokenizer.json: bad id ${String(id)} for ${JSON.stringify(token)}`);
    }
    tokens[id] = token;
  }
  if (tokens[PAD_ID] !== PAD_TOKEN || tokens[UNK_ID] !== UNK_TOKEN) {
    throw new Error(`tokenizer.json: ids ${PAD_ID} and ${UNK_ID} must be ${PAD_TOKEN} and ${UNK_TOKEN}`);
  }
  return fromTokens(tokens);
}

/**
 * A @huggingface/tokenizers Tokenizer for a WordLevel tokenizer.json. That library has no
 * WordLevel class: it reads the vocab through its legacy model, which takes the unknown token
 * from the tokenizer_config (the second argument), not from tokenizer.json. Without it unknown
 * features would come back as undefined ids, so it is passed here from the model section.
 */
export function loadTokenizer(json: unknown): Tokenizer {
  if (!isRecord(json) || !isRecord(json.model) || typeof json.model.unk_token !== 'string') {
    throw new Error('tokenizer.json: expected a model with an unk_token');
  }
  return new Tokenizer(json, { unk_token: json.model.unk_token });
}
