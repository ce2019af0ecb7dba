import { WinnowError } from '../../../shared/errors';
import type { CleanSetSpec, CleanSetSummary } from '../../../shared/ranking';
import type { Db } from '../store/database';
import { referenceLabelsByExample } from '../store/reference-sets';

export interface ResolvedCleanSet {
  /** Trusted label per example row id. */
  labels: Map<number, string>;
  description: string;
  /** Clean examples whose label the clean-set reference changed. */
  relabelledByReference: number;
}

function describe(spec: CleanSetSpec): string {
  return spec.kind === 'decided' ? 'decided' : `${spec.kind}:${spec.name}`;
}

/**
 * The examples ES and ESP trust (DESIGN section 1): the union of the sources, each read as
 *
 * - `split:<name>`: every example of the split with its given label;
 * - `reference:<name>`: the examples a reference patch covers, with the patch's labels;
 * - `decided`: the examples a human decided (kept ones with their label, reannotated ones with
 *   the new label; eliminated ones are left out): the resolved decision, so an example
 *   annotators disagree on without an adjudication ('conflict') is not trusted;
 *
 * then, with `reference`, that reference's labels replace the trusted ones wherever it has one
 * (the paper's clean set: TACRev's dev and test splits with TACRev's patch applied). A later
 * source overrides an earlier one for an example both contain.
 */
export function resolveCleanSet(db: Db, specs: readonly CleanSetSpec[], reference?: string): ResolvedCleanSet {
  const labels = new Map<number, string>();
  for (const spec of specs) {
    switch (spec.kind) {
      case 'split': {
        const split = db.prepare('SELECT id FROM splits WHERE name = ?').get(spec.name) as { id: number } | undefined;
        if (!split) {
          const known = db.prepare('SELECT name FROM splits ORDER BY id').pluck().all() as string[];
          throw new WinnowError('NOT_FOUND', `Clean set: no split named "${spec.name}" in this project${known.length ? ` (splits: ${known.join(', ')})` : ''}`);
        }
        const rows = db.prepare('SELECT e.id, l.name FROM examples e JOIN labels l ON l.id = e.label_id WHERE e.split_id = ?').raw().all(split.id) as [number, string][];
        for (const [row, label] of rows) labels.set(row, label);
        break;
      }
      case 'reference':
        for (const [row, label] of referenceLabelsByExample(db, spec.name)) labels.set(row, label);
        break;
      case 'decided': {
        const rows = db
          .prepare(
            `SELECT s.example_id AS row, s.action, l.name AS label, g.name AS given FROM decision_state s
             JOIN examples e ON e.id = s.example_id JOIN labels g ON g.id = e.label_id
             LEFT JOIN labels l ON l.id = s.label_id`,
          )
          .all() as { row: number; action: string; label: string | null; given: string }[];
        for (const r of rows) {
          if (r.action === 'keep') labels.set(r.row, r.given);
          else if (r.action === 'reannotate' && r.label) labels.set(r.row, r.label);
        }
        break;
      }
      default: {
        const never: never = spec;
        throw new WinnowError('INVALID_INPUT', `Unknown clean set source ${JSON.stringify(never)}`);
      }
    }
  }
  if (specs.length === 0) throw new WinnowError('INVALID_INPUT', 'The clean set needs at least one source: split:<name>, reference:<name> or decided');
  let relabelledByReference = 0;
  if (reference) {
    const patch = referenceLabelsByExample(db, reference);
    const given = db.prepare('SELECT l.name FROM examples e JOIN labels l ON l.id = e.label_id WHERE e.id = ?').pluck();
    for (const row of labels.keys()) {
      const label = patch.get(row);
      if (label === undefined) continue;
      labels.set(row, label);
      if (label !== (given.get(row) as string)) relabelledByReference++;
    }
  }
  const description = specs.map(describe).join(' + ') + (reference ? `, labels from reference ${reference}` : '');
  if (labels.size === 0) {
    const what = specs.length === 1 && specs[0]!.kind === 'decided' ? 'no example has been kept or reannotated yet' : `${description} covers no example`;
    throw new WinnowError('INVALID_INPUT', `The clean set is empty: ${what}`);
  }
  return { labels, description, relabelledByReference };
}

/** Examples per trusted label, most first. */
export function cleanSetSummary(clean: ResolvedCleanSet, usedRows: Iterable<number>): CleanSetSummary {
  const perLabel: Record<string, number> = {};
  let examples = 0;
  for (const row of usedRows) {
    const label = clean.labels.get(row);
    if (label === undefined) continue;
    perLabel[label] = (perLabel[label] ?? 0) + 1;
    examples++;
  }
  const sorted = Object.fromEntries(Object.entries(perLabel).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return { description: clean.description, examples, relabelledByReference: clean.relabelledByReference, perLabel: sorted };
}

/**
 * A clean set ES/ESP can use: refused when it cannot give k neighbours; a warning when most
 * positive labels have fewer than k clean examples (a majority of k for such a label is then
 * impossible or rests on one or two examples).
 */
export function checkCleanSet(summary: CleanSetSummary, k: number, positiveLabels: readonly string[]): string[] {
  if (summary.examples < k) {
    throw new WinnowError(
      'INVALID_INPUT',
      `The clean set (${summary.description}) has ${summary.examples} usable example${summary.examples === 1 ? '' : 's'}; ES and ESP need at least k = ${k} to find ${k} neighbours. Add splits to the clean set or lower k.`,
    );
  }
  const thin = positiveLabels.filter((label) => (summary.perLabel[label] ?? 0) < k);
  if (positiveLabels.length > 0 && thin.length * 2 > positiveLabels.length) {
    return [
      `The clean set (${summary.description}, ${summary.examples} examples) has fewer than k = ${k} examples for ${thin.length} of ${positiveLabels.length} positive labels (${thin.slice(0, 5).join(', ')}${thin.length > 5 ? ', …' : ''}); ES and ESP can rarely suggest those labels.`,
    ];
  }
  return [];
}
