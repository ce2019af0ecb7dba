import type { EventName, EventPayload } from '../../../shared/contract';
import type { ProjectSummary } from '../../../shared/project';
import type { JobManager } from '../jobs/job-manager';
import type { Platform } from '../platform/platform';
import type { Db } from '../store/database';
import type { CountCache } from '../store/example-query';
import type { RecentProjectsStore } from '../app/recent-projects';
import type { SettingsStore } from '../app/settings-store';

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface OpenProject {
  path: string;
  db: Db;
}

/** What every domain's handlers may use: the open project, the jobs, the platform, settings. */
export interface CoreContext {
  readonly dataDir: string;
  readonly appVersion: string;
  /** The app's resources folder (the demo data), when this build has one. */
  readonly resourcesDir: string | undefined;
  readonly platform: Platform;
  readonly jobs: JobManager;
  readonly settings: SettingsStore;
  readonly recent: RecentProjectsStore;
  readonly counts: CountCache;
  readonly emit: EventSink;
  requireProject(): OpenProject;
  currentProject(): OpenProject | null;
  openProject(projectPath: string, create?: boolean): ProjectSummary;
  /** Called after the app's connection wrote: the write-ahead log is copied into the file soon. */
  noteWrite(): void;
  /** Called after decisions were appended: drops cached counts and tells the windows. */
  decisionsChanged(count: number): void;
}
