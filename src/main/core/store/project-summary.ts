import path from 'node:path';
import { DEFAULT_NEGATIVE_LABEL } from '../../../shared/labels';
import type { ProjectSummary } from '../../../shared/project';
import type { Db } from './database';

export function readNegativeLabel(db: Db): string {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'negative_label'").get() as { value: string } | undefined;
  return row?.value ?? DEFAULT_NEGATIVE_LABEL;
}

export function projectSummary(db: Db, projectPath: string): ProjectSummary {
  const splits = db
    .prepare(
      `SELECT name, count, coalesce(source_format, format) AS format, source_path AS sourcePath, source_sha256 AS sourceSha256, imported_at AS importedAt
       FROM splits ORDER BY id`,
    )
    .all() as ProjectSummary['splits'];
  const labelCounts = db
    .prepare(
      `SELECT s.name AS split, l.name AS label, count(*) AS count
       FROM examples e JOIN splits s ON s.id = e.split_id JOIN labels l ON l.id = e.label_id
       GROUP BY s.id, l.id ORDER BY s.id, count DESC, l.name`,
    )
    .all() as ProjectSummary['labelCounts'];
  return {
    path: projectPath,
    name: path.basename(projectPath).replace(/\.winnow$/, ''),
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    negativeLabel: readNegativeLabel(db),
    exampleCount: splits.reduce((sum, split) => sum + split.count, 0),
    splits,
    labelCounts,
    decisionCount: (db.prepare('SELECT count(*) FROM decisions').pluck().get() as number) ?? 0,
  };
}
