import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from './context';
import { scanLabels } from '../io/label-scan';
import { portableFileName } from '../io/portable-file-name';

/** `train.json` gives `train.json.rejected.jsonl`: a plain file name, whatever the upload was called. */
export function rejectedReportName(fileLabel: string): string {
  return `${portableFileName(fileLabel) || 'import'}.rejected.jsonl`;
}

/** Importing a split: the file comes as a token (a dialog's choice or an upload), never a path. */
export function importHandlers(ctx: CoreContext): Pick<Handlers, 'import:start' | 'import:labels'> {
  const { platform } = ctx;
  // Messages name the file as the user knows it: an upload's own name, a chosen file's path.
  const labelOf = (file: string, filePath: string) => (platform.mode === 'browser' ? platform.capabilities.nameOf(file, 'read-file') : filePath);
  return {
    'import:labels': ({ file, format }) => {
      ctx.requireProject();
      const filePath = platform.capabilities.resolve(file, 'read-file');
      return scanLabels(filePath, format, labelOf(file, filePath));
    },
    'import:start': ({ file, split, format, skipInvalid, negativeLabel }) => {
      const project = ctx.requireProject();
      const filePath = platform.capabilities.resolve(file, 'read-file');
      const fileLabel = labelOf(file, filePath);
      // Browser mode: the report of rejected records goes where outputs go (its data folder),
      // named after the file as the user named it, and is offered as a download; an upload's
      // folder is the server's. The desktop writes it beside the file, as the CLI does.
      const reportPath = platform.mode === 'browser' ? platform.outputPath(project.path, rejectedReportName(fileLabel), undefined) : undefined;
      const jobId = ctx.jobs.start(project.path, { kind: 'import', params: { filePath, fileLabel, split, format, skipInvalid, negativeLabel, reportPath } }, (finished) => {
        if (finished.status !== 'done' || finished.kind !== 'import') return finished;
        ctx.emit('project:changed', { path: project.path });
        const report = finished.result.reportPath;
        return { ...finished, result: { ...finished.result, reportDownloadUrl: report ? platform.publish(report) : null } };
      });
      return { jobId };
    },
  };
}
