import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../../src/main/cli/program';
import { errorLine } from '../../../src/main/cli/errors';
import { CompareResult } from '../../../src/shared/compare';
import { compareProject } from '../../helpers/compare-project';
import { openDatabase } from '../../../src/main/core/store/database';

let dir: string;
let project: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-compare-cli-'));
  const made = await compareProject(dir, { train: 200, test: 80 });
  made.db.close();
  project = made.file;
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `winnow …` in-process: what it printed, or the one line it would print on stderr. */
async function winnow(...args: string[]): Promise<{ out: string; error: string | null }> {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => void printed.push(`${values.join(' ')}\n`));
  try {
    await buildProgram('0.0.0-test', new URL('../../../src/main/cli.ts', import.meta.url).href).parseAsync(['node', 'winnow', ...args]);
    return { out: printed.join(''), error: null };
  } catch (error) {
    return { out: printed.join(''), error: errorLine(error, ['node', 'winnow', ...args]) };
  } finally {
    log.mockRestore();
  }
}

describe('winnow compare', () => {
  it('prints the documented JSON, variant names in any case, and writes the predictions', async () => {
    const predictions = path.join(dir, 'p');
    const { out, error } = await winnow('compare', project, '--train', 'train', '--eval', 'test', '--variants', 'original,e,cl-r', '--seeds', '2', '--predictions-dir', predictions, '--json');
    expect(error).toBeNull();
    const result = CompareResult.parse(JSON.parse(out));
    expect(result.variants.map((v) => v.name)).toEqual(['original', 'E', 'CL-R']);
    expect(Object.keys(result.variants[0]!)).toEqual(['name', 'trainSize', 'removed', 'relabelled', 'scores']);
    expect(Object.keys(result.variants[0]!.scores[0]!)).toEqual(['eval', 'labels', 'seeds', 'f1']);
    expect(fs.readdirSync(predictions).sort()).toEqual(['CL-R.test.seed1.jsonl', 'CL-R.test.seed2.jsonl', 'E.test.seed1.jsonl', 'E.test.seed2.jsonl', 'original.test.seed1.jsonl', 'original.test.seed2.jsonl']);
  });

  it('prints a table with the difference to the original, and the notes', async () => {
    const { out } = await winnow('compare', project, '--train', 'train', '--eval', 'test', '--variants', 'original,E,EN', '--seeds', '1');
    const lines = out.split('\n');
    expect(lines).toContain('variant\tsize\tremoved\trelabelled\tP\tR\tF1\tF1 min-max\tvs original');
    expect(lines.find((l) => l.startsWith('E\t'))).toMatch(/^E\t\d+\t\d+\t0\t0\.\d{3}\t0\.\d{3}\t0\.\d{3}\t0\.\d{3}-0\.\d{3}\t[+-]\d\.\d{3}$/);
    expect(lines.find((l) => l.startsWith('original\t'))).toMatch(/\t$/);
    expect(out).toContain('skipped EN: run 1 did not run ES (it ran IS, CL)');
  });

  it('names the flag in one line when something is wrong', async () => {
    expect((await winnow('compare', project, '--train', 'train', '--eval', 'train')).error).toBe('--eval: "train" is the training split; a model scored on its own training data says nothing about cleaning');
    expect((await winnow('compare', project, '--train', 'train', '--eval', 'test', '--variants', 'TACRED-E')).error).toMatch(/^--variants: /);
    expect((await winnow('compare', project, '--train', 'train', '--eval', 'test', '--trainer', 'python t.py {train} {eval} {out} | tee x')).error).toMatch(/^--trainer: "\|" is a shell operator/);
    expect((await winnow('compare', project, '--train', 'train')).error).toMatch(/^--eval is required/);
  });
  it('puts the comparison asked for into `winnow report`, the latest by default', async () => {
    const latest = (JSON.parse((await winnow('compare', project, '--train', 'train', '--eval', 'test', '--variants', 'original,E', '--seeds', '1', '--json')).out) as CompareResult).id;
    const out = path.join(dir, 'r.html');
    const shown = async (...extra: string[]) => {
      const { error } = await winnow('report', project, '--out', out, ...extra);
      expect(error).toBeNull();
      return /Comparison (\d+) \(/.exec(fs.readFileSync(out, 'utf8'))![1];
    };
    expect(await shown()).toBe(String(latest));
    expect(await shown('--comparison', '1')).toBe('1');
    expect((await winnow('report', project, '--out', out, '--comparison', '999')).error).toMatch(/^No comparison 999 with run 1 in this project \(its comparisons: /);
  });

  // Last: it makes the run rank the test split too.
  it('warns on stderr, outside the JSON, when the run also ranked the eval split', async () => {
    const db = openDatabase(project, {});
    db.prepare("INSERT INTO predictions (run_id, example_id, predicted_label_id, predicted_prob, given_prob, probs) SELECT 1, e.id, e.label_id, 0.5, 0.5, x'00000000' FROM examples e JOIN splits s ON s.id = e.split_id WHERE s.name = 'test'").run();
    db.close();
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      const { out, error } = await winnow('compare', project, '--train', 'train', '--eval', 'test', '--variants', 'original,E', '--seeds', '1', '--json');
      expect(error).toBeNull();
      const result = CompareResult.parse(JSON.parse(out));
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toMatch(/^run 1 also ranked 80 examples of "test", so their labels went into the flags/);
      expect(written.filter((w) => w.startsWith('winnow: warning: '))).toEqual([`winnow: warning: ${result.warnings[0]}\n`]);
    } finally {
      stderr.mockRestore();
    }
  });
});
