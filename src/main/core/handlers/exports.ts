import path from 'node:path';
import type { Handlers } from '../../../shared/contract';
import type { ExportResult } from '../../../shared/exporting';
import { defaultExportFileName } from '../export/export-names';
import { previewExport } from '../export/export-preview';
import type { CoreContext } from './context';

/** Exporting a split: written where the user chose (a token) or in the platform's place, then published. */
export function exportHandlers(ctx: CoreContext): Pick<Handlers, 'export:start' | 'export:preview'> {
  const { platform } = ctx;
  const publish = (result: ExportResult): ExportResult => ({
    ...result,
    outputs: result.outputs.map((output) => ({ ...output, name: path.basename(output.path), downloadUrl: platform.publish(output.path) })),
  });
  return {
    'export:preview': (options) => previewExport(ctx.requireProject().db, options),
    'export:start': ({ destination, ...options }) => {
      const project = ctx.requireProject();
      const outPath = platform.outputPath(project.path, defaultExportFileName({ ...options, stamp: new Date() }), destination);
      const jobId = ctx.jobs.start(project.path, { kind: 'export', params: { ...options, outPath, appVersion: ctx.appVersion } }, (finished) =>
        finished.status === 'done' && finished.kind === 'export' ? { ...finished, result: publish(finished.result) } : finished,
      );
      return { jobId };
    },
  };
}
