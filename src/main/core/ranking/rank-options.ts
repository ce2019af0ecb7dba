import { z } from 'zod';
import { OptionError } from '../../../shared/errors';
import { rankOptionsSchema, type CleanSetSpec } from '../../../shared/ranking';

/** The engine's rank options: the shared parameters, with the model's files named by path. */
export const RankOptions = rankOptionsSchema(z.string().min(1));
export type RankOptions = z.output<typeof RankOptions>;
export type RankOptionsInput = z.input<typeof RankOptions>;
export type ModelSpec = RankOptions['model'];

/** Parses the CLI's `--clean reference:<name> | decided | split:<name>`. */
export function parseCleanSpec(text: string): CleanSetSpec {
  if (text === 'decided') return { kind: 'decided' };
  const [kind, ...rest] = text.split(':');
  const name = rest.join(':');
  if ((kind === 'reference' || kind === 'split') && name) return { kind, name };
  throw new OptionError('clean', `takes reference:<name>, decided or split:<name>, not "${text}"`);
}
