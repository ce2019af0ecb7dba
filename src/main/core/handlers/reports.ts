import type { Handlers } from '../../../shared/contract';
import { collectReportData } from '../export/report-data';
import { saveReport } from '../export/report-save';
import type { CoreContext } from './context';

/** The report of a run: its data for the report screen, and the self-contained HTML file. */
export function reportHandlers(ctx: CoreContext): Pick<Handlers, 'report:data' | 'report:save'> {
  return {
    'report:data': ({ run, reference, comparison }) => collectReportData(ctx.requireProject().db, { runId: run, reference, comparison, appVersion: ctx.appVersion }),
    'report:save': async ({ run, reference, comparison, destination }) => {
      const project = ctx.requireProject();
      const fileName = `report-run${run}-${new Date().toISOString().replace(/[:.]/g, '-')}.html`;
      const target = ctx.platform.outputPath(project.path, fileName, destination);
      const written = await saveReport(project.db, target, { runId: run, appVersion: ctx.appVersion, ...(reference ? { reference } : {}), ...(comparison ? { comparison } : {}) });
      return { role: 'report', name: fileName, path: written, downloadUrl: ctx.platform.publish(written) };
    },
  };
}
