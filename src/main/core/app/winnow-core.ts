import fs from 'node:fs';
import path from 'node:path';
import type { EventName, EventPayload, Handlers } from '../../../shared/contract';
import type { ExportResult, ProjectSummary } from '../../../shared/domain';
import { WinnowError } from '../../../shared/errors';
import { JobManager, type JobRunnerMode } from '../jobs/job-manager';
import { openDatabase, type Db } from '../store/database';
import { CountCache, matchingExampleIds, queryExamples, queryFacets } from '../store/example-query';
import { applyDecisions, decisionHistory, redoLast, undoLast } from '../store/decisions';
import { exampleDetail } from '../store/example-detail';
import { labelChoices } from '../store/label-choices';
import { SettingsStore } from './settings-store';
import { recoverInterruptedExports } from '../export/export-log';
import { collectReportData } from '../export/report-data';
import { buildReportHtml } from '../export/report-html';
import { AtomicFileWriter } from '../io/atomic-file';
import { projectSummary } from '../store/project-summary';
import { RecentProjectsStore } from './recent-projects';
import { listRuns } from '../ranking/run-queries';
import { importReferenceSet, listReferenceSets } from '../store/reference-sets';
import { aboutWinnow } from './about';

/** Channels that only the platform (Electron shell or browser server) can answer. */
export type PlatformChannel = 'app:info' | 'dialog:openFile' | 'dialog:saveFile';
export type CoreHandlers = Omit<Handlers, PlatformChannel>;

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface CoreOptions {
  dataDir: string;
  jobs: JobRunnerMode;
  emit: EventSink;
  /** Written into export manifests. */
  appVersion?: string;
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
  readonly settings: SettingsStore;
  readonly jobs: JobManager;

  constructor(private readonly options: CoreOptions) {
    this.recent = new RecentProjectsStore(options.dataDir);
    this.settings = new SettingsStore(options.dataDir);
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
    try {
      recoverInterruptedExports(db);
    } catch (error) {
      db.close();
      throw error;
    }
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
      'app:about': () => aboutWinnow({ version: this.options.appVersion ?? '0.0.0', project: this.project }),
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
      'export:start': ({ split, format, outPath, mode, apply, run, strategy, decisionsOverride, patch }) => {
        const project = this.requireProject();
        const target = outPath ?? defaultExportPath(project.path, split, format, mode, strategy, apply);
        const params = { split, format, outPath: target, mode, apply, runId: run, strategy, decisionsOverride, patch, appVersion: this.options.appVersion ?? '0.0.0' };
        const jobId = this.jobs.start(project.path, { kind: 'export', params }, (finished) =>
          finished.status === 'done'
            ? { ...finished, result: this.decorateExportResult(finished.result as { split: string; path: string; count: number; sha256: string }) }
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
      'examples:detail': ({ id, run }) => exampleDetail(this.requireProject().db, id, run),
      'labels:list': ({ subjType, objType }) => labelChoices(this.requireProject().db, subjType, objType),
      'decisions:apply': ({ target, action, label, note, run }) => {
        const { db } = this.requireProject();
        let examples: number[];
        if ('ids' in target) {
          const rows = db.prepare('SELECT ext_id AS id, id AS row FROM examples WHERE ext_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(target.ids)) as { id: string; row: number }[];
          const missing = target.ids.filter((id) => !rows.some((r) => r.id === id));
          if (missing.length) throw new WinnowError('NOT_FOUND', `No example with id "${missing[0]}"${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}`);
          examples = rows.map((r) => r.row);
        } else {
          examples = matchingExampleIds(db, target.filter, target.run ?? null);
          if (examples.length !== target.expectedCount) {
            throw new WinnowError('CONFLICT', `The filter now matches ${examples.length} examples, not the ${target.expectedCount} you confirmed; nothing was changed`);
          }
        }
        const result = applyDecisions(db, { examples, action, label, note, runId: run ?? null, annotator: this.settings.get().annotator });
        this.decisionsChanged(result.count);
        return result;
      },
      'decisions:undo': () => {
        const result = undoLast(this.requireProject().db, this.settings.get().annotator);
        this.decisionsChanged(result.count);
        return result;
      },
      'decisions:redo': () => {
        const result = redoLast(this.requireProject().db, this.settings.get().annotator);
        this.decisionsChanged(result.count);
        return result;
      },
      'decisions:history': ({ id }) => {
        const { db } = this.requireProject();
        const row = db.prepare('SELECT id FROM examples WHERE ext_id = ?').pluck().get(id) as number | undefined;
        if (row === undefined) throw new WinnowError('NOT_FOUND', `No example with id "${id}"`);
        return decisionHistory(db, row);
      },
      'report:data': ({ run, reference }) => collectReportData(this.requireProject().db, { runId: run, reference, appVersion: this.options.appVersion ?? '0.0.0' }),
      'report:save': async ({ run, reference, outPath }) => {
        const project = this.requireProject();
        const html = buildReportHtml(project.db, { runId: run, appVersion: this.options.appVersion ?? '0.0.0', ...(reference ? { reference } : {}) });
        const target = outPath ?? path.join(path.dirname(project.path), `${path.basename(project.path, '.winnow')}-exports`, `report-run${run}-${new Date().toISOString().replace(/[:.]/g, '-')}.html`);
        const writer = new AtomicFileWriter(target);
        await writer.open();
        await writer.write(html);
        await writer.commit();
        return { path: target, downloadUrl: this.options.registerDownload?.(target) ?? null };
      },
      'settings:get': () => this.settings.get(),
      'settings:set': (settings) => this.settings.set(settings),
      'jobs:cancel': ({ jobId }) => ({ cancelled: this.jobs.cancel(jobId) }),
    };
  }

  private decisionsChanged(count: number): void {
    this.counts.clear();
    if (count > 0) this.options.emit('decisions:changed', { count });
  }

  /** Adds the download URL to an export job's result (browser mode). */
  decorateExportResult(result: Omit<ExportResult, 'downloadUrl'>): ExportResult {
    return { ...result, downloadUrl: this.options.registerDownload?.(result.path) ?? null };
  }
}

function defaultExportPath(projectPath: string, split: string, format: string, mode: string, strategy: string | undefined, apply: string): string {
  const dir = path.join(path.dirname(projectPath), `${path.basename(projectPath, '.winnow')}-exports`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const what = mode === 'original' ? '' : mode === 'auto' ? `.${strategy}.${apply}` : `.reviewed.${apply}`;
  return path.join(dir, `${split}${what}-${stamp}.${format}`);
}
