import type { StrategyName } from '../../../shared/strategies';
import type { ExampleDetail, ExampleRow } from '../../../shared/domain';
import { WinnowError } from '../../../shared/errors';
import type { Db } from './database';
import { decisionHistory } from './decisions';
import { queryExamples } from './example-query';

type Lite = Omit<ExampleRow, 'flag' | 'decision'>;

function rowsByExtId(db: Db, ids: string[]): Map<string, Lite> {
  if (!ids.length) return new Map();
  const rows = db
    .prepare(
      `SELECT e.ext_id AS id, s.name AS split, e.position, l.name AS label, e.tokens, e.subj_start AS subjStart, e.subj_end AS subjEnd,
              e.obj_start AS objStart, e.obj_end AS objEnd, e.subj_type AS subjType, e.obj_type AS objType
       FROM examples e JOIN splits s ON s.id = e.split_id JOIN labels l ON l.id = e.label_id
       WHERE e.ext_id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as (Omit<Lite, 'tokens'> & { tokens: string })[];
  return new Map(rows.map((r) => [r.id, { ...r, tokens: JSON.parse(r.tokens) as string[] }]));
}

interface StoredEvidence {
  neighbours: { id: string; label: string; similarity: number }[];
  anchors?: { id: string; label: string; similarity: number }[];
}

/** Everything the detail pane shows for one example: record, flags with evidence, probabilities, history. */
export function exampleDetail(db: Db, extId: string, run?: number): ExampleDetail {
  const rowId = db.prepare('SELECT id FROM examples WHERE ext_id = ?').pluck().get(extId) as number | undefined;
  if (rowId === undefined) throw new WinnowError('NOT_FOUND', `No example with id "${extId}"`);
  const single = db
    .prepare('SELECT r.raw FROM example_records r WHERE r.example_id = ?')
    .pluck()
    .get(rowId) as string;
  const record = JSON.parse(single) as Record<string, unknown>;
  const flags = run
    ? (db
        .prepare('SELECT f.strategy, f.score, l.name AS suggested, f.evidence FROM flags f JOIN labels l ON l.id = f.suggested_label_id WHERE f.run_id = ? AND f.example_id = ? ORDER BY f.strategy')
        .all(run, rowId) as { strategy: StrategyName; score: number; suggested: string; evidence: string }[])
    : [];
  const parsed = flags.map((f) => ({ ...f, evidence: JSON.parse(f.evidence) as StoredEvidence }));
  const neighbourIds = parsed.flatMap((f) => [...f.evidence.neighbours, ...(f.evidence.anchors ?? [])].map((n) => n.id));
  const known = rowsByExtId(db, [...new Set(neighbourIds)]);
  const withExample = (items: StoredEvidence['neighbours']) => items.map((n) => ({ ...n, example: known.get(n.id) ?? null }));
  let probabilities: ExampleDetail['probabilities'] = [];
  if (run) {
    const prediction = db.prepare('SELECT p.probs, r.label_order AS labelOrder FROM predictions p JOIN runs r ON r.id = p.run_id WHERE p.run_id = ? AND p.example_id = ?').get(run, rowId) as
      | { probs: Buffer; labelOrder: string }
      | undefined;
    if (prediction) {
      const labels = JSON.parse(prediction.labelOrder) as string[];
      const probs = new Float32Array(prediction.probs.buffer.slice(prediction.probs.byteOffset, prediction.probs.byteOffset + prediction.probs.byteLength));
      probabilities = labels
        .map((label, i) => ({ label, prob: probs[i] ?? 0 }))
        .sort((a, b) => b.prob - a.prob)
        .slice(0, 10);
    }
  }
  return {
    row: singleRow(db, extId, run),
    record,
    flags: parsed.map((f) => ({ strategy: f.strategy, score: f.score, suggested: f.suggested, neighbours: withExample(f.evidence.neighbours), anchors: withExample(f.evidence.anchors ?? []) })),
    probabilities,
    history: decisionHistory(db, rowId),
  };
}

function singleRow(db: Db, extId: string, run?: number): ExampleRow {
  const page = queryExamples(db, { run, filter: { ids: [extId] }, sort: [], offset: 0, limit: 1 });
  const row = page.rows[0];
  if (!row) throw new WinnowError('NOT_FOUND', `No example with id "${extId}"`);
  return row;
}
