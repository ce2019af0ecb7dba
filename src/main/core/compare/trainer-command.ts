import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { parse } from 'shell-quote';
import { OptionError, WinnowError } from '../../../shared/errors';

/**
 * The user's own training script in the retraining loop: `--trainer "<command>"` with
 * `{train}`, `{eval}`, `{out}` and `{seed}` placeholders, run once per variant and seed.
 *
 * The command is split into words here (POSIX quoting rules, shell-quote's parser) and run
 * without a shell: placeholders are replaced inside the words after splitting, so a path with
 * spaces or quotes stays one argument and nothing Winnow substitutes is ever interpreted.
 * Shell operators (pipes, redirections, `;`, `&&`, globs) are refused: put such logic in a script.
 * `$NAME` is expanded from the environment Winnow runs in, as a shell would.
 */

export const TRAINER_PLACEHOLDERS = ['train', 'eval', 'out', 'seed'] as const;
export type TrainerPlaceholder = (typeof TRAINER_PLACEHOLDERS)[number];

export interface TrainerCommand {
  template: string;
  words: string[];
}

export function parseTrainerCommand(template: string, env: NodeJS.ProcessEnv = process.env): TrainerCommand {
  const bad = (detail: string) => new OptionError('trainer', detail, 'compare option');
  const entries = parse(template, (key) => env[key] ?? '');
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') words.push(entry);
    else if ('comment' in entry) break;
    else if ('op' in entry && entry.op === 'glob') throw bad(`"${entry.pattern}" is a file pattern; Winnow runs the command without a shell, so name the files or put the command in a script`);
    else throw bad(`"${(entry as { op: string }).op}" is a shell operator; Winnow runs the command without a shell, so put pipes and redirections in a script`);
  }
  if (!words.length) throw bad('the command is empty');
  const used = new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
  for (const name of used) {
    if (!(TRAINER_PLACEHOLDERS as readonly string[]).includes(name)) throw bad(`unknown placeholder {${name}} (use ${TRAINER_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`);
  }
  for (const needed of ['train', 'eval', 'out'] as const) {
    if (!used.has(needed)) throw bad(`the command must use {${needed}} (${needed === 'out' ? 'the predictions file it writes' : `the ${needed === 'train' ? 'training' : 'evaluation'} file it reads`})`);
  }
  return { template, words };
}

/** The argument vector for one variant and seed. */
export function trainerArgv(command: TrainerCommand, values: Record<TrainerPlaceholder, string>): string[] {
  return command.words.map((word) => word.replace(/\{(train|eval|out|seed)\}/g, (_, name: TrainerPlaceholder) => values[name]));
}

/** The last lines of a log, for an error message. */
export function lastLines(file: string, count = 5): string[] {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split(/\r?\n/).map((l) => l.trimEnd()).filter(Boolean).slice(-count);
}

/**
 * Runs one training command with its stdout and stderr appended to `logFile`. Resolves when it
 * exits with 0; a non-zero exit, a signal or a command that cannot start rejects with the code
 * and the log's last lines. Aborting the signal kills it.
 */
export async function runTrainer(argv: string[], options: { logFile: string; label: string; signal?: AbortSignal | undefined; cwd?: string }): Promise<void> {
  if (options.signal?.aborted) throw new WinnowError('CANCELLED', 'Comparison cancelled; nothing was saved');
  const log = fs.openSync(options.logFile, 'a');
  try {
    fs.writeSync(log, `\n$ ${argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}    # ${options.label}\n`);
    const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', log, log], cwd: options.cwd, shell: false, windowsHide: true });
      const onAbort = () => child.kill('SIGTERM');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('exit', (code, signal) => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve({ code, signal });
      });
    });
    if (options.signal?.aborted) throw new WinnowError('CANCELLED', 'Comparison cancelled; the trainer was stopped and nothing was saved');
    if (outcome.error) throw new WinnowError('INVALID_INPUT', `trainer command "${argv[0]}" could not start (${options.label}): ${outcome.error.message}`);
    if (outcome.code !== 0) {
      const how = outcome.code === null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
      const tail = lastLines(options.logFile);
      throw new WinnowError('INVALID_INPUT', `trainer command ${how} (${options.label}); log ${options.logFile}${tail.length ? `, last lines: ${tail.join(' | ')}` : ' (empty)'}`);
    }
  } finally {
    fs.closeSync(log);
  }
}

/**
 * Reads what the trainer wrote to {out}: JSON Lines `{"id", "relation"}` (any order, every eval
 * id once), or one label per line in the eval file's order.
 */
export function readTrainerPredictions(file: string, evalIds: readonly string[]): string[] {
  if (!fs.existsSync(file)) throw new WinnowError('INVALID_FILE', `the trainer exited with 0 but wrote no predictions file ${file}`);
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  const first = lines.find((l) => l.trim() !== '');
  if (first?.trimStart().startsWith('{')) {
    const position = new Map(evalIds.map((id, i) => [id, i]));
    const labels = new Array<string | undefined>(evalIds.length).fill(undefined);
    lines.forEach((line, n) => {
      if (!line.trim()) return;
      const at = `${file}: line ${n + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new WinnowError('INVALID_FILE', `${at}: not valid JSON`);
      }
      const { id, relation } = (value ?? {}) as { id?: unknown; relation?: unknown };
      if (typeof id !== 'string' && typeof id !== 'number') throw new WinnowError('INVALID_FILE', `${at}: field "id" is missing`);
      if (typeof relation !== 'string' || !relation) throw new WinnowError('INVALID_FILE', `${at} (id "${id}"): field "relation" must be a label`);
      const i = position.get(String(id));
      if (i === undefined) throw new WinnowError('INVALID_FILE', `${at}: id "${id}" is not in the eval file`);
      if (labels[i] !== undefined) throw new WinnowError('INVALID_FILE', `${at}: id "${id}" appears twice`);
      labels[i] = relation;
    });
    const missing = labels.findIndex((l) => l === undefined);
    if (missing >= 0) throw new WinnowError('INVALID_FILE', `${file}: no prediction for id "${evalIds[missing]}" (${labels.filter((l) => l === undefined).length} of ${evalIds.length} missing)`);
    return labels as string[];
  }
  if (lines.length !== evalIds.length) throw new WinnowError('INVALID_FILE', `${file}: ${lines.length} lines but the eval file has ${evalIds.length} examples (one label per line, in order)`);
  return lines.map((line, n) => {
    const label = line.trim();
    if (!label) throw new WinnowError('INVALID_FILE', `${file}: line ${n + 1} is empty (example "${evalIds[n]}")`);
    return label;
  });
}
