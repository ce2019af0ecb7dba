/**
 * A long job never blocks a decision or the server: an import runs in a worker thread, as
 * the app and `winnow serve` run it, while the page decides through the same dispatch that
 * IPC and HTTP use. The import reads a named pipe that this test feeds, so it is certainly
 * still running (and writing batches) while every decision is made: no timing luck.
 * Timings (decision latency, event-loop delay) are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticTacred } from '../../../tools/demo-generator/synthetic-tacred';
import { dispatch } from '../../../src/main/core/app/dispatch';
import { WinnowCore } from '../../../src/main/core/app/winnow-core';
import { LocalPlatform } from '../../../src/main/core/platform/local-platform';
import { openDatabase } from '../../../src/main/core/store/database';
import { importSplit } from '../../../src/main/core/store/import-split';
import type { Handlers } from '../../../src/shared/contract';
import type { JobFinished } from '../../../src/shared/jobs';
import { tempDir } from '../../helpers/temp-dir';
import { writeJsonl } from '../../helpers/records';
import { checkProject, NOTHING_UNPUBLISHED, SOUND, unpublishedRows } from './support';

const WORKER = new URL('../../../scripts/ts-job-worker.mjs', import.meta.url);
const N_TRAIN = 400;
const N_BIG = 8000;
const DECISIONS = 40;

let dir: string;
let project: string;
let bigLines: string[];
let trainIds: string[];

beforeAll(async () => {
  dir = tempDir();
  project = path.join(dir, 'p.winnow');
  const train = generateSyntheticTacred({ n: N_TRAIN, seed: 3, idPrefix: 'tr' }).records;
  trainIds = train.map((r) => r.id);
  bigLines = generateSyntheticTacred({ n: N_BIG, seed: 4, idPrefix: 'big' }).records.map((r) => JSON.stringify(r));
  const db = openDatabase(project, { create: true });
  try {
    await importSplit(db, { filePath: writeJsonl(path.join(dir, 'train.jsonl'), train), split: 'train' });
  } finally {
    db.close();
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

// Not on Windows: the import reads a named pipe (mkfifo), which Windows does not have.
describe.skipIf(process.platform === 'win32')('decisions while a long import runs in a worker', () => {
  it('are acknowledged in order, and the server answers other calls, while the import commits its batches', { timeout: 180_000 }, async () => {
    const fifo = path.join(dir, 'big.jsonl');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const finished: JobFinished[] = [];
    let progressEvents = 0;
    const platform = new LocalPlatform({ version: 'test', platform: 'test' }, null);
    const core = new WinnowCore({
      dataDir: path.join(dir, 'data'),
      jobs: { mode: 'worker', workerUrl: WORKER },
      platform,
      emit: (event, payload) => {
        if (event === 'job:finished') finished.push(payload as JobFinished);
        if (event === 'job:progress') progressEvents++;
      },
    });
    const handlers: Handlers = core.handlers();
    const call = async <T>(channel: string, input: unknown): Promise<T> => {
      const result = await dispatch(handlers, channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    };
    core.openProject(project);
    await call('settings:set', { ...core.settings.get(), annotator: 'alice' });

    const { token } = platform.capabilities.grant(fifo, 'read-file');
    const { jobId } = await call<{ jobId: string }>('import:start', { file: token, split: 'big', format: 'jsonl' });
    // Opening a pipe for writing waits for its reader: the worker has started reading.
    const writer = fs.createWriteStream(fifo);
    await once(writer, 'open');

    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const acks: { batchId: string; example: string }[] = [];
    const latencies: number[] = [];
    const perDecision = Math.ceil(bigLines.length / DECISIONS);
    for (let i = 0; i < DECISIONS; i++) {
      // Feed the import its next records, then decide while it inserts them.
      const chunk = bigLines.slice(i * perDecision, (i + 1) * perDecision);
      if (chunk.length && !writer.write(chunk.join('\n') + '\n')) await once(writer, 'drain');
      const example = trainIds[i]!;
      const started = performance.now();
      const result = await call<{ batchId: string; count: number }>('decisions:apply', { target: { ids: [example] }, action: i % 2 ? 'eliminate' : 'keep' });
      latencies.push(performance.now() - started);
      expect(result.count).toBe(1);
      acks.push({ batchId: result.batchId, example });
      // The pipe is still open, so the import cannot have finished.
      expect(core.jobs.activeCount).toBe(1);
      if (i % 10 === 0) {
        // Other calls are answered too, and never show the split being imported.
        const current = await call<{ splits: { name: string }[] }>('project:current', {});
        expect(current.splits.map((s) => s.name)).toEqual(['train']);
        const page = await call<{ total: number }>('examples:query', { limit: 5 });
        expect(page.total).toBe(N_TRAIN);
      }
    }
    lag.disable();
    writer.end();
    const done = (await core.jobs.wait(jobId))!;
    expect(done.status, JSON.stringify(done)).toBe('done');
    expect(finished.map((f) => f.jobId)).toContain(jobId);
    console.log(
      `[decisions during import] ${DECISIONS} decisions while importing ${N_BIG} records in a worker: latency p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; event-loop delay p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, ` +
        `p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms; ${progressEvents} progress events meanwhile (printed, not asserted)`,
    );

    // Every acknowledged decision is in the log, in the order it was acknowledged.
    const db = core.currentProject()!.db;
    const logged = db.prepare('SELECT d.batch_id AS batchId, e.ext_id AS example FROM decisions d JOIN examples e ON e.id = d.example_id ORDER BY d.id').all();
    expect(logged).toEqual(acks);
    const summary = await call<{ splits: { name: string; count: number }[]; decisionCount: number }>('project:current', {});
    expect(summary.splits).toEqual([expect.objectContaining({ name: 'train', count: N_TRAIN }), expect.objectContaining({ name: 'big', count: N_BIG })]);
    expect(summary.decisionCount).toBe(DECISIONS);
    expect(checkProject(db, { train: N_TRAIN, big: N_BIG })).toEqual(SOUND);
    expect(unpublishedRows(db)).toEqual(NOTHING_UNPUBLISHED);
    core.closeProject();
  });
});
