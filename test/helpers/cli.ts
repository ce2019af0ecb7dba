import { vi } from 'vitest';
import { buildProgram } from '../../src/main/cli/program';
import { errorLine } from '../../src/main/cli/errors';

export interface CliRun {
  /** Everything the command printed on stdout. */
  out: string;
  /** The one-line `winnow: …` message a failed command prints, or null. */
  error: string | null;
}

/**
 * Runs `winnow <args>` in this process, through the same commander program and commands as
 * the real CLI (a fresh program per call), capturing what it prints.
 */
export async function winnow(...args: string[]): Promise<CliRun> {
  const chunks: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void chunks.push(`${parts.map(String).join(' ')}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  const argv = ['node', 'winnow', ...args];
  let error: string | null = null;
  try {
    await buildProgram('0.0.0-test', import.meta.url).parseAsync(argv);
  } catch (caught) {
    error = `winnow: ${errorLine(caught, argv)}`;
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  return { out: chunks.join(''), error };
}

/** Runs a command that must succeed and returns its output. */
export async function winnowOk(...args: string[]): Promise<string> {
  const run = await winnow(...args);
  if (run.error !== null) throw new Error(`winnow ${args.join(' ')} failed: ${run.error}`);
  return run.out;
}
