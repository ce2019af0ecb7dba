import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../../src/main/core/store/database';
import { mulberry32 } from '../../helpers/seeded';
import { derivedStateMismatches } from '../../helpers/decision-state';

/** Shared by the reliability tests and the child scripts they spawn. */
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../../..');
export const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
export const CHILDREN = path.join(HERE, 'children');

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export interface ChildResult {
  /** Every complete line the child wrote, including those that arrived after the kill. */
  lines: string[];
  /** A last line cut off by the kill (no newline), if any. */
  partial: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when this harness sent the SIGKILL (before the child printed "done"). */
  killed: boolean;
  /** True when the child printed "done" before it was killed or exited. */
  done: boolean;
}

export interface ChildOptions {
  /** Called for every stdout line; call `kill(delayMs)` to SIGKILL the child's group after a delay. */
  onLine?: (line: string, kill: (delayMs: number) => void) => void;
  /** SIGKILL this long after the spawn, whatever the child printed. */
  killAfterMs?: number;
  /** Safety net: a child still running after this is killed and the run reported as hung. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `children/<script>` under tsx in its own process group. tsx starts a second node
 * process, so a kill goes to the whole group (negative pid), which is what a crash or
 * `kill -9` of the app does to a job.
 */
export function runChild(script: string, args: string[], options: ChildOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(CHILDREN, script), ...args], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    const lines: string[] = [];
    let stderr = '';
    let buffered = '';
    let killed = false;
    let done = false;
    let exited = false;
    const timers: NodeJS.Timeout[] = [];
    const killNow = () => {
      if (exited) return;
      if (!done) killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const kill = (delayMs: number) => {
      if (delayMs <= 0) killNow();
      else timers.push(setTimeout(killNow, delayMs));
    };
    if (options.killAfterMs !== undefined) kill(options.killAfterMs);
    const safety = setTimeout(() => {
      killNow();
      stderr += `\n[harness] child ${script} still running after ${options.timeoutMs ?? 120_000} ms; killed`;
    }, options.timeoutMs ?? 120_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        lines.push(line);
        if (line === 'done') done = true;
        if (!killed) options.onLine?.(line, kill);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      exited = true;
      clearTimeout(safety);
      for (const t of timers) clearTimeout(t);
      // The tsx wrapper may exit before its node child; make sure no grandchild survives.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      // Recovery code asks whether a writer's process still runs; answer only once the
      // worker process (which printed its pid) has really stopped, not while it is dying.
      const pid = Number(/^pid (\d+)$/m.exec(lines.join('\n'))?.[1] ?? NaN);
      untilStopped(pid).then(() => resolve({ lines, partial: buffered, stderr, code, signal, killed, done }), reject);
    });
  });
}

/** Resolves once `pid` has exited (gone, or a zombie nobody reaps); at once for NaN. */
async function untilStopped(pid: number): Promise<void> {
  if (!Number.isInteger(pid)) return;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    let state: string;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch {
      return;
    }
    if (state === 'Z' || state === 'X') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`process ${pid} still runs 30 s after its kill`);
}

/** Counts of every table, to tell that a rejected operation changed nothing. */
export function tableCounts(db: Db): Record<string, number> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
}

/**
 * Rows where the derived decision state (per annotator, per adjudication, resolved) disagrees
 * with what the append-only log says.
 */
export function decisionStateMismatches(db: Db): number {
  return derivedStateMismatches(db).length;
}

export interface ProjectCheck {
  integrity: string;
  foreignKeyProblems: number;
  /** Splits whose row disagrees with its examples or with the file it came from. */
  badSplits: string[];
  /** Runs stored without all of their predictions, flags or queue. */
  badRuns: string[];
  decisionStateMismatches: number;
}

/**
 * The structural promises of a project file after any crash: the file is sound, a split is
 * there whole or not at all, a run is there with every prediction, flag and queue entry,
 * and the derived decision state matches the log.
 */
export function checkProject(db: Db, expectedSplitSizes: Record<string, number>): ProjectCheck {
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  const foreignKeyProblems = (db.pragma('foreign_key_check') as unknown[]).length;
  const badSplits: string[] = [];
  const splits = db.prepare('SELECT id, name, count FROM splits').all() as { id: number; name: string; count: number }[];
  for (const split of splits) {
    const examples = db.prepare('SELECT count(*) FROM examples WHERE split_id = ?').pluck().get(split.id) as number;
    const records = db.prepare('SELECT count(*) FROM example_records r JOIN examples e ON e.id = r.example_id WHERE e.split_id = ?').pluck().get(split.id) as number;
    const expected = expectedSplitSizes[split.name];
    if (split.count !== examples || records !== examples || (expected !== undefined && examples !== expected)) {
      badSplits.push(`${split.name}: count ${split.count}, examples ${examples}, records ${records}, file ${expected}`);
    }
  }
  // Rows without any split or run at all (published or not) would be real damage; rows of
  // an unpublished split or run are what a killed job leaves until the sweep (see unpublishedRows).
  const orphanExamples = db.prepare('SELECT count(*) FROM example_rows WHERE split_id NOT IN (SELECT id FROM split_rows)').pluck().get() as number;
  if (orphanExamples) badSplits.push(`${orphanExamples} examples without a split`);
  const orphanRecords = db.prepare('SELECT count(*) FROM example_records WHERE example_id NOT IN (SELECT id FROM example_rows)').pluck().get() as number;
  if (orphanRecords) badSplits.push(`${orphanRecords} records without an example`);
  const visibleHidden = db.prepare('SELECT count(*) FROM examples WHERE split_id NOT IN (SELECT id FROM splits)').pluck().get() as number;
  if (visibleHidden) badSplits.push(`${visibleHidden} examples of an unpublished split are visible`);
  const badRuns: string[] = [];
  const runs = db.prepare('SELECT id, summary, params FROM runs').all() as { id: number; summary: string; params: string }[];
  for (const run of runs) {
    const summary = JSON.parse(run.summary) as { examples: number; flags: Record<string, number> };
    const params = JSON.parse(run.params) as { strategies: string[] };
    const predictions = db.prepare('SELECT count(*) FROM predictions WHERE run_id = ?').pluck().get(run.id) as number;
    const flags = db.prepare('SELECT count(*) FROM flags WHERE run_id = ?').pluck().get(run.id) as number;
    const flagged = db.prepare('SELECT count(DISTINCT example_id) FROM flags WHERE run_id = ?').pluck().get(run.id) as number;
    const queue = db.prepare('SELECT count(*) FROM queue WHERE run_id = ?').pluck().get(run.id) as number;
    const expectedFlags = Object.values(summary.flags).reduce((a, b) => a + b, 0);
    // Without ES/ESP every flagged example is in the queue exactly once.
    const queueOk = params.strategies.includes('esp') ? queue <= flagged : queue === flagged;
    if (predictions !== summary.examples || flags !== expectedFlags || !queueOk) {
      badRuns.push(`run ${run.id}: predictions ${predictions}/${summary.examples}, flags ${flags}/${expectedFlags}, queue ${queue} for ${flagged} flagged`);
    }
  }
  const orphanRows = db
    .prepare(
      `SELECT (SELECT count(*) FROM predictions WHERE run_id NOT IN (SELECT id FROM run_rows))
            + (SELECT count(*) FROM flags WHERE run_id NOT IN (SELECT id FROM run_rows))
            + (SELECT count(*) FROM queue WHERE run_id NOT IN (SELECT id FROM run_rows))`,
    )
    .pluck()
    .get() as number;
  if (orphanRows) badRuns.push(`${orphanRows} prediction/flag/queue rows without a run`);
  return { integrity, foreignKeyProblems, badSplits, badRuns, decisionStateMismatches: decisionStateMismatches(db) };
}

/**
 * What unpublished splits and runs hold (a killed import or ranking leaves them; readers
 * never see them; the next open, import or ranking removes them).
 */
export function unpublishedRows(db: Db): { splits: number; examples: number; records: number; runs: number; runRows: number } {
  const one = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    splits: one("SELECT count(*) FROM split_rows WHERE state <> 'published'"),
    examples: one("SELECT count(*) FROM example_rows WHERE split_id IN (SELECT id FROM split_rows WHERE state <> 'published')"),
    records: one("SELECT count(*) FROM example_records WHERE example_id IN (SELECT e.id FROM example_rows e JOIN split_rows s ON s.id = e.split_id WHERE s.state <> 'published')"),
    runs: one("SELECT count(*) FROM run_rows WHERE state <> 'published'"),
    runRows: one(
      `SELECT (SELECT count(*) FROM predictions WHERE run_id IN (SELECT id FROM run_rows WHERE state <> 'published'))
            + (SELECT count(*) FROM flags WHERE run_id IN (SELECT id FROM run_rows WHERE state <> 'published'))
            + (SELECT count(*) FROM queue WHERE run_id IN (SELECT id FROM run_rows WHERE state <> 'published'))`,
    ),
  };
}

export const NOTHING_UNPUBLISHED = { splits: 0, examples: 0, records: 0, runs: 0, runRows: 0 };

export const SOUND: ProjectCheck = { integrity: 'ok', foreignKeyProblems: 0, badSplits: [], badRuns: [], decisionStateMismatches: 0 };

/**
 * A predictions file (header + one row per id) for `model: {kind: 'predictions'}`: the given
 * label gets most of the mass, except for a seeded share of rows that disagree.
 */
export function writePredictions(file: string, rows: { id: string; label: string }[], labels: string[], seed: number, dim = 8): void {
  const random = mulberry32(seed);
  const out: string[] = [JSON.stringify({ labels })];
  for (const row of rows) {
    const favoured = random() < 0.1 ? Math.floor(random() * labels.length) : labels.indexOf(row.label);
    const raw = labels.map((_, j) => (j === favoured ? 5 : 0) + random());
    const sum = raw.reduce((a, b) => a + b, 0);
    const embedding = Array.from({ length: dim }, (_, d) => (d === favoured % dim ? 2 : 0) + random() - 0.5);
    out.push(JSON.stringify({ id: row.id, probs: raw.map((v) => v / sum), embedding }));
  }
  fs.writeFileSync(file, out.join('\n') + '\n');
}
