import fs from 'node:fs';
import path from 'node:path';
import type { EventName, EventPayload, Handlers } from '../../../shared/contract';
import type { ExportResult, ProjectSummary } from '../../../shared/domain';
import { WinnowError } from '../../../shared/errors';
import { JobManager, type JobRunnerMode } from '../jobs/job-manager';
import { openDatabase, type Db } from '../store/database';
import { CountCache, queryExamples, queryFacets } from '../store/example-query';
import { projectSummary } from '../store/project-summary';
import { RecentProjectsStore } from './recent-projects';
import { listRuns } from '../ranking/run-queries';
import { importReferenceSet, listReferenceSets } from '../store/reference-sets';

/** Channels that only the platform (Electron shell or browser server) can answer. */
export type PlatformChannel = 'app:info' | 'dialog:openFile' | 'dialog:saveFile';
export type CoreHandlers = Omit<Handlers, PlatformChannel>;

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface CoreOptions {
  dataDir: string;
  jobs: JobRunnerMode;
  emit: EventSink;
  /** Browser mode: makes an exported file downloadable and returns its URL. */
  registerDownload?: (filePath: string) => string;
}

interface OpenProject {
  path: string;
  db: Db;
}

/** Everything the app does, independent of Electron: the same object serves IPC, HTTP and tests. */
export class WinnowCore {
  private project: OpenProject | null = null;
  private readonly counts = new CountCache();
  readonly recent: RecentProjectsStore;
  readonly jobs: JobManager;

  constructor(private readonly options: CoreOptions) {
    this.recent = new RecentProjectsStore(options.dataDir);
    this.jobs = new JobManager(options.jobs, {
      progress: (progress) => options.emit('job:progress', progress),
      finished: (finished) => {
        this.counts.clear();
        options.emit('job:finished', finished);
      },
    });
  }

  get currentPath(): string | null {
    return this.project?.path ?? null;
  }

  openProject(projectPath: string, create = false): ProjectSummary {
    const resolved = path.resolve(projectPath);
    if (create && fs.existsSync(resolved)) {
      throw new WinnowError('CONFLICT', `${resolved} already exists; open it instead`);
    }
    if (create && !resolved.endsWith('.winnow')) {
      throw new WinnowError('INVALID_INPUT', `Project files end in .winnow: ${resolved}`);
    }
    if (this.jobs.activeCount > 0) throw new WinnowError('CONFLICT', 'Wait for the running job to finish before switching projects');
    const db = openDatabase(resolved, { create });
    this.closeProject();
    this.counts.clear();
    this.project = { path: resolved, db };
    this.recent.touch(resolved);
    this.options.emit('project:changed', { path: resolved });
    return projectSummary(db, resolved);
  }

  closeProject(): void {
    this.project?.db.close();
    this.project = null;
  }

  private requireProject(): OpenProject {
    if (!this.project) throw new WinnowError('NO_PROJECT', 'No project is open: create or open one first');
    return this.project;
  }

  handlers(): CoreHandlers {
    return {
      'project:current': () => (this.project ? projectSummary(this.project.db, this.project.path) : null),
      'project:open': ({ path: projectPath }) => this.openProject(projectPath),
      'project:create': ({ path: projectPath }) => this.openProject(projectPath, true),
      'project:recent': () => this.recent.list(),
      'examples:query': (query) => queryExamples(this.requireProject().db, query, this.counts),
      'examples:facets': () => queryFacets(this.requireProject().db),
      'import:start': ({ path: filePath, split, format, skipInvalid }) => {
        const project = this.requireProject();
        const jobId = this.jobs.start(project.path, { kind: 'import', params: { filePath, split, format, skipInvalid } }, (finished) => {
          if (finished.status === 'done') this.options.emit('project:changed', { path: project.path });
        });
        return { jobId };
      },
      'export:start': ({ split, format, outPath }) => {
        const project = this.requireProject();
        const target = outPath ?? defaultExportPath(project.path, split, format);
        const jobId = this.jobs.start(project.path, { kind: 'export', params: { split, format, outPath: target } }, (finished) =>
          finished.status === 'done'
            ? { ...finished, result: this.decorateExportResult(finished.result as Omit<ExportResult, 'downloadUrl'>) }
            : finished,
        );
        return { jobId };
      },
      'ranking:start': (params) => {
        const project = this.requireProject();
        const jobId = this.jobs.start(project.path, { kind: 'rank', params }, (finished) => {
          if (finished.status === 'done') this.options.emit('project:changed', { path: project.path });
        });
        return { jobId };
      },
      'runs:list': () => listRuns(this.requireProject().db),
      'reference:import': ({ path: filePath, name }) => importReferenceSet(this.requireProject().db, filePath, name),
      'reference:list': () => listReferenceSets(this.requireProject().db),
      'jobs:cancel': ({ jobId }) => ({ cancelled: this.jobs.cancel(jobId) }),
    };
  }

  /** Adds the download URL to an export job's result (browser mode). */
  decorateExportResult(result: Omit<ExportResult, 'downloadUrl'>): ExportResult {
    return { ...result, downloadUrl: this.options.registerDownload?.(result.path) ?? null };
  }
}

function defaultExportPath(projectPath: string, split: string, format: string): string {
  const dir = path.join(path.dirname(projectPath), `${path.basename(projectPath, '.winnow')}-exports`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(dir, `${split}-${stamp}.${format}`);
}
