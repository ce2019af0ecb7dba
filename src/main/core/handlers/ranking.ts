import type { Handlers } from '../../../shared/contract';
import { listRuns } from '../ranking/run-queries';
import type { CoreContext } from './context';

/** Ranking runs: start one (model files come as tokens), list them. */
export function rankingHandlers(ctx: CoreContext): Pick<Handlers, 'ranking:start' | 'runs:list'> {
  const { capabilities } = ctx.platform;
  return {
    'ranking:start': ({ model, ...parameters }) => {
      const project = ctx.requireProject();
      const file = (token: string | undefined) => (token === undefined ? undefined : capabilities.resolve(token, 'read-file'));
      const resolved =
        model.kind === 'package'
          ? { kind: 'package' as const, dir: capabilities.resolve(model.dir, 'read-folder') }
          : model.kind === 'predictions'
            ? { kind: 'predictions' as const, file: file(model.file)!, labels: file(model.labels), ids: file(model.ids), embeddings: file(model.embeddings) }
            : model;
      const jobId = ctx.jobs.start(project.path, { kind: 'rank', params: { ...parameters, model: resolved } }, (finished) => {
        if (finished.status === 'done') ctx.emit('project:changed', { path: project.path });
      });
      return { jobId };
    },
    'runs:list': () => listRuns(ctx.requireProject().db),
  };
}
