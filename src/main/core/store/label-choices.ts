import type { Db } from './database';

/**
 * Labels for the reannotation picker: those already seen with this pair of entity types first
 * (by how often), then every other label.
 */
export function labelChoices(db: Db, subjType?: string, objType?: string): { name: string; withTypes: number; total: number }[] {
  return db
    .prepare(
      `SELECT l.name, coalesce(w.n, 0) AS withTypes, coalesce(t.n, 0) AS total
       FROM labels l
       LEFT JOIN (SELECT label_id, count(*) AS n FROM examples WHERE subj_type = ? AND obj_type = ? GROUP BY label_id) w ON w.label_id = l.id
       LEFT JOIN (SELECT label_id, count(*) AS n FROM examples GROUP BY label_id) t ON t.label_id = l.id
       ORDER BY withTypes DESC, total DESC, l.name`,
    )
    .all(subjType ?? '', objType ?? '') as { name: string; withTypes: number; total: number }[];
}
