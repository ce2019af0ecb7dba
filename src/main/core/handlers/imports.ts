import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from './context';
import { scanLabels } from '../io/label-scan';

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
      const jobId = ctx.jobs.start(project.path, { kind: 'import', params: { filePath, fileLabel, split, format, skipInvalid, negativeLabel } }, (finished) => {
        if (finished.status === 'done') ctx.emit('project:changed', { path: project.path });
      });
      return { jobId };
    },
  };
}
