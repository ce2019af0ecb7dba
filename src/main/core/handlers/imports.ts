import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from './context';

/** Importing a split: the file comes as a token (a dialog's choice or an upload), never a path. */
export function importHandlers(ctx: CoreContext): Pick<Handlers, 'import:start'> {
  const { platform } = ctx;
  return {
    'import:start': ({ file, split, format, skipInvalid }) => {
      const project = ctx.requireProject();
      const filePath = platform.capabilities.resolve(file, 'read-file');
      // Messages name the file as the user knows it: an upload's own name, a chosen file's path.
      const fileLabel = platform.mode === 'browser' ? platform.capabilities.nameOf(file, 'read-file') : filePath;
      const jobId = ctx.jobs.start(project.path, { kind: 'import', params: { filePath, fileLabel, split, format, skipInvalid } }, (finished) => {
        if (finished.status === 'done') ctx.emit('project:changed', { path: project.path });
      });
      return { jobId };
    },
  };
}
