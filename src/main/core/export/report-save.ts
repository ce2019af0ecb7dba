import type { Db } from '../store/database';
import { buildReportHtml } from './report-html';
import { StagedSet } from './staged-files';

/** Writes a run's self-contained HTML report to `target` atomically; returns the path. */
export async function saveReport(db: Db, target: string, options: { runId: number; reference?: string; comparison?: number; appVersion: string }): Promise<string> {
  const html = buildReportHtml(db, options);
  const staged = new StagedSet();
  try {
    const file = await staged.open(target);
    await file.write(html);
    const [written] = await staged.commitAll();
    return written!.path;
  } catch (error) {
    await staged.abortAll();
    throw error;
  }
}
