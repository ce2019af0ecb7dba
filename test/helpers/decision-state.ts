import type { Db } from '../../src/main/core/store/database';

interface Row {
  example_id: number;
  decision_id: number;
  action: string;
  label_id: number | null;
}

/**
 * The derived decision tables recomputed in plain code from the append-only log, as the
 * triggers should keep them: each annotator's latest record per example (adjudications
 * apart), the latest adjudication, and the resolved state (the adjudication, else the one
 * outcome every annotator agrees on, else 'conflict'). Returns a description of every row that
 * differs; empty when the tables match the log.
 */
export function derivedStateMismatches(db: Db): string[] {
  const log = db.prepare('SELECT id, example_id, owner, adjudication, action, label_id FROM decisions ORDER BY id').all() as {
    id: number;
    example_id: number;
    owner: string;
    adjudication: number;
    action: string;
    label_id: number | null;
  }[];
  const votes = new Map<string, Row & { annotator: string }>();
  const adjudications = new Map<number, Row>();
  for (const r of log) {
    const row = { example_id: r.example_id, decision_id: r.id, action: r.action, label_id: r.label_id };
    if (r.adjudication) {
      if (r.action === 'clear') adjudications.delete(r.example_id);
      else adjudications.set(r.example_id, row);
    } else {
      const key = `${r.example_id}\0${r.owner}`;
      if (r.action === 'clear') votes.delete(key);
      else votes.set(key, { ...row, annotator: r.owner });
    }
  }
  const problems: string[] = [];
  const compare = (what: string, expected: Map<string, unknown>, actual: Map<string, unknown>) => {
    for (const key of new Set([...expected.keys(), ...actual.keys()])) {
      const e = JSON.stringify(expected.get(key) ?? null);
      const a = JSON.stringify(actual.get(key) ?? null);
      if (e !== a) problems.push(`${what} ${key}: expected ${e}, found ${a}`);
    }
  };
  const stored = (sql: string, key: (r: Record<string, unknown>) => string) =>
    new Map((db.prepare(sql).all() as Record<string, unknown>[]).map((r) => [key(r), r]));
  compare(
    'annotator_state',
    new Map([...votes.values()].map((v) => [`${v.example_id}/${v.annotator}`, { example_id: v.example_id, annotator: v.annotator, decision_id: v.decision_id, action: v.action, label_id: v.label_id }])),
    stored('SELECT example_id, annotator, decision_id, action, label_id FROM annotator_state', (r) => `${r.example_id}/${r.annotator}`),
  );
  compare('adjudication_state', new Map([...adjudications.values()].map((v) => [String(v.example_id), v])), stored('SELECT example_id, decision_id, action, label_id FROM adjudication_state', (r) => String(r.example_id)));
  const byExample = new Map<number, Row[]>();
  for (const v of votes.values()) byExample.set(v.example_id, [...(byExample.get(v.example_id) ?? []), v]);
  const resolved = new Map<string, unknown>();
  for (const example of new Set([...byExample.keys(), ...adjudications.keys()])) {
    const list = byExample.get(example) ?? [];
    const outcomes = new Set(list.map((v) => `${v.action}/${v.label_id ?? ''}`));
    const disagreement = outcomes.size > 1 ? 1 : 0;
    const adjudication = adjudications.get(example);
    const latest = list.reduce<Row | null>((a, b) => (a === null || b.decision_id > a.decision_id ? b : a), null);
    if (adjudication) resolved.set(String(example), { example_id: example, decision_id: adjudication.decision_id, action: adjudication.action, label_id: adjudication.label_id, disagreement, adjudicated: 1 });
    else if (latest)
      resolved.set(String(example), {
        example_id: example,
        decision_id: latest.decision_id,
        action: disagreement ? 'conflict' : latest.action,
        label_id: disagreement ? null : latest.label_id,
        disagreement,
        adjudicated: 0,
      });
  }
  compare('decision_state', resolved, stored('SELECT example_id, decision_id, action, label_id, disagreement, adjudicated FROM decision_state', (r) => String(r.example_id)));
  return problems;
}
