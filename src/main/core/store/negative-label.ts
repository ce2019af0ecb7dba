import { WinnowError } from '../../../shared/errors';
import { DEFAULT_NEGATIVE_LABEL, KNOWN_NEGATIVE_LABELS } from '../../../shared/labels';
import type { Db } from './database';
import { readNegativeLabel } from './project-summary';

/**
 * The negative label the first import gives a project: the one asked for (which the file must
 * use), else TACRED's `no_relation` when the file uses it, else the one known negative label
 * (SemEval `Other`, NYT-10 `NA`) the file uses, else `no_relation`.
 */
export function firstNegativeLabel(labelsInFile: ReadonlyMap<string, number>, asked: string | undefined, file: string): string {
  if (asked !== undefined) {
    if (!labelsInFile.has(asked)) {
      const known = [...labelsInFile.keys()].sort();
      throw new WinnowError('INVALID_INPUT', `negative label "${asked}" is not a label of ${file} (its labels: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''})`);
    }
    return asked;
  }
  if (labelsInFile.has(DEFAULT_NEGATIVE_LABEL)) return DEFAULT_NEGATIVE_LABEL;
  const present = KNOWN_NEGATIVE_LABELS.filter((l) => labelsInFile.has(l));
  return present.length === 1 ? present[0]! : DEFAULT_NEGATIVE_LABEL;
}

export function writeNegativeLabel(db: Db, label: string): void {
  db.prepare("INSERT INTO meta (key, value) VALUES ('negative_label', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(label);
}

export interface NegativeLabelChange {
  previous: string;
  negativeLabel: string;
  /** Runs made with another negative label: their flags no longer match the project. */
  invalidatedRuns: number[];
}

/**
 * Changes a project's negative label. It must be a label of the project's examples. Runs keep
 * the label they ranked with and are listed as invalidated (DESIGN section 1); nothing is
 * deleted, and changing the label back makes them current again.
 */
export function setNegativeLabel(db: Db, label: string): NegativeLabelChange {
  const previous = readNegativeLabel(db);
  const used = db.prepare('SELECT 1 FROM examples e JOIN labels l ON l.id = e.label_id WHERE l.name = ? LIMIT 1').get(label);
  if (!used) {
    const known = db.prepare('SELECT DISTINCT l.name FROM examples e JOIN labels l ON l.id = e.label_id ORDER BY l.name').pluck().all() as string[];
    throw new WinnowError('INVALID_INPUT', `negative label "${label}" is not a label of this project's examples (labels: ${known.slice(0, 12).join(', ') || 'none yet'}${known.length > 12 ? ', …' : ''})`);
  }
  return db.transaction(() => {
    writeNegativeLabel(db, label);
    const invalidatedRuns = db.prepare('SELECT id FROM runs WHERE negative_label <> ? ORDER BY id').pluck().all(label) as number[];
    return { previous, negativeLabel: label, invalidatedRuns };
  })();
}
