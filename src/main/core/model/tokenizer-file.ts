import { readJsonObjectFile } from '../io/json-object-file';
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';
import { WinnowError } from '../../../shared/errors';

export interface LoadedTokenizer {
  tokenizer: Tokenizer;
  /** The id written into padding positions (masked out by the attention mask). */
  padId: number;
  /** tokenizer.json as parsed, for encoders that read more than the Tokenizer exposes. */
  json: Record<string, unknown>;
}

const TokenizerJsonShape = z.looseObject({
  model: z.looseObject({ type: z.string().optional() }),
  added_tokens: z.array(z.looseObject({ id: z.number().int(), content: z.string() })).optional(),
  padding: z.looseObject({ pad_id: z.number().int().optional() }).nullable().optional(),
});

const COMMON_PAD_TOKENS = ['[PAD]', '<pad>', '<|pad|>', '<PAD>'];

const readJsonObject = (file: string) => readJsonObjectFile(file);

/**
 * Loads a Hugging Face `tokenizer.json`, plus `tokenizer_config.json` when the folder has
 * one (a `save_pretrained` export does; it carries special-token settings that
 * tokenizer.json leaves out).
 */
export async function loadTokenizerFile(file: string): Promise<LoadedTokenizer> {
  const json = await readJsonObject(file);
  const shape = TokenizerJsonShape.safeParse(json);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(file)';
    throw new WinnowError('INVALID_FILE', `${file}: field "${field}": ${issue.message}`);
  }
  const configFile = path.join(path.dirname(file), 'tokenizer_config.json');
  const config = fs.existsSync(configFile) ? await readJsonObject(configFile) : {};
  const model = shape.data.model as Record<string, unknown>;
  // tokenizers.js reads a WordLevel model's unk token from the config, not from the model
  // section where the Rust library writes it; without this, unknown words get no id.
  if (config['unk_token'] === undefined && typeof model['unk_token'] === 'string') {
    config['unk_token'] = model['unk_token'];
  }
  // The Rust library always writes these keys (null when unused); hand-written files may not.
  const complete = {
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
    added_tokens: [],
    ...json,
  };
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(complete, config);
  } catch (error) {
    throw new WinnowError('INVALID_FILE', `${file}: not a tokenizer this version of Winnow can load: ${(error as Error).message}`);
  }
  return { tokenizer, padId: resolvePadId(tokenizer, shape.data.padding?.pad_id, config['pad_token']), json };
}

function resolvePadId(tokenizer: Tokenizer, declared: number | undefined, configPad: unknown): number {
  if (declared !== undefined) return declared;
  const configPadToken = typeof configPad === 'string' ? configPad : typeof configPad === 'object' && configPad !== null ? (configPad as { content?: unknown }).content : undefined;
  for (const token of [configPadToken, ...COMMON_PAD_TOKENS]) {
    if (typeof token !== 'string') continue;
    const id = tokenizer.token_to_id(token);
    if (id !== undefined) return id;
  }
  // Any id will do: the attention mask hides padding from the model.
  return 0;
}
