import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../../shared/contract';
import type { ProjectSummary } from '../../../shared/project';
import { WinnowError } from '../../../shared/errors';
import { recoverInterruptedExports } from '../export/export-log';
import { buildHandlers } from '../handlers';
import type { CoreContext, EventSink, OpenProject } from '../handlers/context';
import { JobManager, type JobRunnerMode } from '../jobs/job-manager';
import type { Platform } from '../platform/platform';
import { AppConnection } from '../store/app-connection';
import { startSearchIndexer, type SearchIndexer } from '../store/search-index';
import type { CheckpointerOptions } from '../store/checkpoint';
import { sweepStaleBuiltinFolders } from '../ranking/builtin-temp';
import { CountCache } from '../store/example-query';
import { projectSummary } from '../store/project-summary';
import { RecentProjectsStore } from './recent-projects';
import { SettingsStore } from './settings-store';

export type { EventSink } from '../handlers/context';

export interface CoreOptions {
  dataDir: string;
  jobs: JobRunnerMode;
  emit: EventSink;
  platform: Platform;
  /** Written into export manifests and reports. */
  appVersion?: string;
  /** When the write-ahead log is copied into the project file after writes. */
  checkpoint?: CheckpointerOptions;
  /** The app's resources folder (holds the demo data), for `project:openDemo`. */
  resourcesDir?: string;
}

/**
 * Everything the app does, independent of Electron: the state the handlers share (the open
 * project, jobs, settings) and the handler table; the same object serves IPC, HTTP and tests.
 */
export class WinnowCore implements CoreContext {
  private project: OpenProject | null = null;
  /** The open project's own connection: no busy wait, log copied after writes, sweeps. */
  private connection: AppConnection | null = null;
  private indexer: SearchIndexer | null = null;
  private readonly checkpoint: CheckpointerOptions | undefined;
  readonly counts = new CountCache();
  readonly recent: RecentProjectsStore;
  readonly settings: SettingsStore;
  readonly jobs: JobManager;
  readonly platform: Platform;
  readonly emit: EventSink;
  readonly dataDir: string;
  readonly appVersion: string;
  readonly resourcesDir: string | undefined;

  constructor(options: CoreOptions) {
    this.dataDir = options.dataDir;
    this.resourcesDir = options.resourcesDir;
    this.appVersion = options.appVersion ?? '0.0.0';
    this.platform = options.platform;
    this.emit = options.emit;
    this.checkpoint = options.checkpoint;
    // What a killed ranking left in the temp folder goes at start (its process is gone).
    void sweepStaleBuiltinFolders().catch(() => undefined);
    this.recent = new RecentProjectsStore(options.dataDir);
    this.settings = new SettingsStore(options.dataDir);
    this.jobs = new JobManager(options.jobs, {
      progress: (progress) => options.emit('job:progress', progress),
      finished: (finished) => {
        this.counts.clear();
        this.connection?.noteWrite();
        // An import adds examples to index; for any other job this is one empty batch.
        if (finished.status === 'done') this.indexSearchInBackground();
        options.emit('job:finished', finished);
      },
    });
  }

  get currentPath(): string | null {
    return this.project?.path ?? null;
  }

  currentProject(): OpenProject | null {
    return this.project;
  }

  requireProject(): OpenProject {
    if (!this.project) throw new WinnowError('NO_PROJECT', 'No project is open: create or open one first');
    return this.project;
  }

  /** Opens (or creates) a project file the caller has already checked the user may open. */
  openProject(projectPath: string, create = false): ProjectSummary {
    const resolved = path.resolve(projectPath);
    if (create && fs.existsSync(resolved)) throw new WinnowError('CONFLICT', `${path.basename(resolved)} already exists; open it instead`);
    if (create && !resolved.endsWith('.winnow')) throw new WinnowError('INVALID_INPUT', `Project files end in .winnow: ${path.basename(resolved)}`);
    if (this.jobs.activeCount > 0) throw new WinnowError('CONFLICT', 'Wait for the running job to finish before switching projects');
    if (create) fs.mkdirSync(path.dirname(resolved), { recursive: true });
    const connection = new AppConnection(resolved, { create, checkpoint: this.checkpoint });
    const { db } = connection;
    try {
      recoverInterruptedExports(db);
    } catch (error) {
      connection.close();
      throw error;
    }
    this.closeProject();
    this.counts.clear();
    this.project = { path: resolved, db };
    this.connection = connection;
    this.indexSearchInBackground();
    // A new file, a migration or a recovered export wrote: copy it into the file soon.
    connection.noteWrite();
    this.recent.touch(resolved);
    this.emit('project:changed', { path: resolved });
    return projectSummary(db, resolved);
  }

  /** (Re)starts the idle-time build of the text search index; it stops by itself once complete. */
  private indexSearchInBackground(): void {
    this.indexer?.stop();
    this.indexer = this.project ? startSearchIndexer(this.project.path) : null;
  }

  closeProject(): void {
    this.indexer?.stop();
    this.indexer = null;
    this.connection?.close();
    this.connection = null;
    this.project = null;
  }

  /** Resolves once the open project's background work (sweep, log copy) is done. */
  async whenIdle(): Promise<void> {
    await this.connection?.whenIdle();
  }

  noteWrite(): void {
    this.connection?.noteWrite();
  }

  decisionsChanged(count: number): void {
    this.counts.decisionsChanged();
    this.noteWrite();
    if (count > 0) this.emit('decisions:changed', { count });
  }

  handlers(): Handlers {
    return buildHandlers(this);
  }
}
