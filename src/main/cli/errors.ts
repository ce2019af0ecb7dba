import { CommanderError } from 'commander';
import { OptionError } from '../../shared/errors';
import { storageErrorWithoutFile } from '../core/errors/storage-errors';
import { RANK_PARAMETER_INFO } from '../../shared/ranking';

/**
 * The CLI names options the way the user typed them: each field an engine or a schema names
 * maps to its flag here, so "option "folds": Too small" reads "--folds: Too small".
 */
const FLAGS: Record<string, string> = {
  // Every rank parameter by its flag in the one description the rank dialog also reads.
  ...Object.fromEntries(Object.entries(RANK_PARAMETER_INFO).map(([field, info]) => [field, info.flag.split(' ')[0]!])),
  split: '--split',
  format: '--format',
  mode: '--mode',
  apply: '--apply',
  run: '--run',
  strategy: '--strategy',
  strategies: '--strategies',
  decisionsOverride: '--decisions-override',
  patch: '--patch',
  outPath: '--out',
  model: '--model',
  labels: '--labels',
  ids: '--ids',
  embeddings: '--embeddings',
  negativeLabel: '--negative-label',
  name: '--name',
  annotator: '--annotator',
  reference: '--reference',
  evals: '--eval',
};

export function flagFor(field: string): string {
  const head = field.split('.')[0]!;
  return FLAGS[head] ?? `--${head.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The command the user ran, for the `(winnow <command> --help)` hint. */
function commandOf(argv: readonly string[]): string {
  const words = argv.slice(2).filter((word) => !word.startsWith('-'));
  if (words[0] === 'reference') return words.slice(0, 2).join(' ');
  // `winnow decisions <project>` is `decisions list`.
  if (words[0] === 'decisions') return ['list', 'export', 'import'].includes(words[1] ?? '') ? words.slice(0, 2).join(' ') : 'decisions list';
  return words[0] ?? '';
}

/** One line for any error: what is wrong, naming the option, and where help is. */
export function errorLine(error: unknown, argv: readonly string[]): string {
  const help = `(winnow ${commandOf(argv)} --help)`.replace('  ', ' ');
  if (error instanceof OptionError) return `${flagFor(error.option)}: ${error.detail}`;
  if (error instanceof CommanderError) {
    const text = error.message.replace(/^error: /, '');
    const missing = /required option '(--[\w-]+)/.exec(text);
    if (missing) return `${missing[1]} is required ${help}`;
    const argument = /missing required argument '([\w-]+)'/.exec(text);
    if (argument) return `the ${argument[1]} argument is missing ${help}`;
    return `${text.split('\n')[0]} ${help}`;
  }
  const message = storageErrorWithoutFile(error)?.message ?? (error instanceof Error ? error.message : String(error));
  return message.split('\n')[0]!;
}
