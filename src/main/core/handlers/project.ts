import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../../shared/contract';
import { WinnowError } from '../../../shared/errors';
import { ensureDemoProject } from '../app/demo-project';
import { backupProject } from '../store/backup';
import { projectSummary } from '../store/project-summary';
import { setNegativeLabel } from '../store/negative-label';
import type { CoreContext } from './context';

type ProjectChannels = 'project:current' | 'project:open' | 'project:create' | 'project:openDemo' | 'project:recent' | 'project:saveCopy' | 'project:setNegativeLabel';

/** Projects: which one is open, opening by token, creating, the demo (in the data folder), the recent list (as tokens). */
export function projectHandlers(ctx: CoreContext): Pick<Handlers, ProjectChannels> {
  const { platform } = ctx;
  return {
    'project:current': () => {
      const project = ctx.currentProject();
      return project ? projectSummary(project.db, project.path) : null;
    },
    'project:open': ({ token }) => {
      const projectPath = platform.capabilities.resolve(token, 'project');
      if (!platform.mayOpenProject(projectPath)) throw new WinnowError('FORBIDDEN', `This server only opens projects in its data folder: ${path.basename(projectPath)}`);
      return ctx.openProject(projectPath);
    },
    'project:create': (request) => ctx.openProject(platform.newProjectPath(request), true),
    'project:saveCopy': async ({ destination }) => {
      const project = ctx.requireProject();
      const fileName = `${path.basename(project.path, '.winnow')}-copy-${new Date().toISOString().replace(/[:.]/g, '-')}.winnow`;
      const written = await backupProject(project.db, project.path, platform.outputPath(project.path, fileName, destination));
      return { role: 'project-copy', name: path.basename(written.path), path: written.path, downloadUrl: platform.publish(written.path) };
    },
    'project:setNegativeLabel': ({ label }) => {
      const project = ctx.requireProject();
      const change = setNegativeLabel(project.db, label);
      ctx.emit('project:changed', { path: project.path });
      return change;
    },
    'project:openDemo': async () => {
      if (!ctx.resourcesDir) throw new WinnowError('UNSUPPORTED', 'This build has no demo data');
      return ctx.openProject(await ensureDemoProject(ctx.dataDir, ctx.resourcesDir));
    },
    'project:recent': () =>
      ctx.recent
        .list()
        .filter((entry) => platform.mayOpenProject(entry.path) && fs.existsSync(entry.path))
        .map((entry) => ({ ...platform.capabilities.grant(entry.path, 'project', path.basename(entry.path, '.winnow')), path: entry.path, openedAt: entry.openedAt })),
  };
}
