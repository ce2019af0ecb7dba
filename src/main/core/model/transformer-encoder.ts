import type { Tokenizer } from '@huggingface/tokenizers';
import { WinnowError } from '../../../shared/errors';
import type { EncodedBatch, RelationExample } from './encoded-batch';
import { markEntities } from './entity-markers';
import type { ModelManifest } from './manifest';
import { chooseTruncationWindow } from './truncation-window';

export interface TransformerEncodeOptions {
  /** Id written into padding positions; defaults to 0 (the attention mask hides it). */
  padId?: number;
  /**
   * Fixed sequence length to pad to, for models exported with a static sequence axis;
   * by default a batch is padded to its longest sequence.
   */
  padTo?: number;
}

/** Number of special tokens the tokenizer's post-processor puts before and after a sequence. */
interface SpecialTokenFrame {
  prefix: number;
  suffix: number;
}

function specialTokenFrame(tokenizer: Tokenizer): SpecialTokenFrame {
  const framed = tokenizer.encode('a').ids;
  const bare = tokenizer.encode('a', { add_special_tokens: false }).ids;
  for (let offset = 0; offset + bare.length <= framed.length; offset++) {
    if (bare.every((id, k) => framed[offset + k] === id)) {
      return { prefix: offset, suffix: framed.length - offset - bare.length };
    }
  }
  return { prefix: framed.length - bare.length, suffix: 0 };
}

function encodeIds(tokenizer: Tokenizer, words: readonly string[]): number[] {
  const encoding = tokenizer.encode(words.join(' '));
  const missing = encoding.ids.findIndex((id) => typeof id !== 'number');
  if (missing >= 0) {
    throw new WinnowError(
      'INVALID_FILE',
      `tokenizer.json: piece "${encoding.tokens[missing]}" has no id and the tokenizer defines no unknown token (model.unk_token)`,
    );
  }
  return encoding.ids;
}

/** Re-tokenising a shortened text can merge pieces differently, so the budget is retried a few times. */
const WINDOW_ATTEMPTS = 3;

function encodeExample(
  tokenizer: Tokenizer,
  example: RelationExample,
  input: Extract<ModelManifest['input'], { kind: 'transformer' }>,
  frame: SpecialTokenFrame,
): number[] {
  const marked = markEntities(example, input.entityMarkers);
  const ids = encodeIds(tokenizer, marked.words);
  const maxLength = input.maxLength;
  if (ids.length <= maxLength) return ids;

  const costs = marked.words.map((word) => tokenizer.encode(word, { add_special_tokens: false }).ids.length);
  let budget = maxLength - frame.prefix - frame.suffix;
  let shortened = ids;
  for (let attempt = 0; attempt < WINDOW_ATTEMPTS && budget > 0; attempt++) {
    const keep = chooseTruncationWindow(costs, marked.subj, marked.obj, budget);
    shortened = encodeIds(
      tokenizer,
      keep.map((i) => marked.words[i]!),
    );
    if (shortened.length <= maxLength) return shortened;
    budget -= shortened.length - maxLength;
  }
  // Last resort (entities longer than the budget): cut the pieces, keeping the closing specials.
  const head = shortened.slice(0, maxLength - frame.suffix);
  const tail = frame.suffix > 0 ? shortened.slice(shortened.length - frame.suffix) : [];
  return [...head, ...tail];
}

/**
 * Turns examples into a transformer's inputs: entity markers inserted as the manifest
 * says, tokens joined with single spaces (TACRED tokens carry no spacing information),
 * tokenised with the package's tokenizer (special tokens added by its post-processor),
 * truncated to `input.maxLength` by the rule in `chooseTruncationWindow`, then padded.
 * Returns int64 `input_ids`, and `attention_mask` / `token_type_ids` (all zeros: one
 * segment) under the names the manifest gives, when it names them.
 */
export function encodeTransformerBatch(
  tokenizer: Tokenizer,
  manifest: Pick<ModelManifest, 'input'>,
  examples: readonly RelationExample[],
  options: TransformerEncodeOptions = {},
): EncodedBatch {
  const input = manifest.input;
  if (input.kind !== 'transformer') {
    throw new WinnowError('UNSUPPORTED', `encodeTransformerBatch: the manifest's input.kind is "${input.kind}", not "transformer"`);
  }
  const frame = specialTokenFrame(tokenizer);
  const sequences = examples.map((example) => encodeExample(tokenizer, example, input, frame));
  const longest = sequences.reduce((max, ids) => Math.max(max, ids.length), 0);
  const width = options.padTo ?? Math.max(1, longest);
  if (longest > width) {
    throw new WinnowError('INVALID_INPUT', `encoded sequence of ${longest} pieces does not fit the model's fixed length ${width}`);
  }
  const n = examples.length;
  const padId = BigInt(options.padId ?? 0);
  const inputIds = new BigInt64Array(n * width).fill(padId);
  const attentionMask = new BigInt64Array(n * width);
  sequences.forEach((ids, row) => {
    const base = row * width;
    for (let k = 0; k < ids.length; k++) {
      inputIds[base + k] = BigInt(ids[k]!);
      attentionMask[base + k] = 1n;
    }
  });
  const dims = [n, width];
  const names = input.inputNames;
  const feeds: EncodedBatch['feeds'] = { [names.inputIds]: { type: 'int64', data: inputIds, dims } };
  if (names.attentionMask !== null) feeds[names.attentionMask] = { type: 'int64', data: attentionMask, dims: [...dims] };
  if (names.tokenTypeIds !== null) feeds[names.tokenTypeIds] = { type: 'int64', data: new BigInt64Array(n * width), dims: [...dims] };
  return { size: n, feeds };
}
