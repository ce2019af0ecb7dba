import type { AboutInfo } from '../../../shared/about';
import type { Db } from '../store/database';
import { LATEST_SCHEMA_VERSION } from '../store/migrations';
import { buildCommit } from './build-info';

export interface AboutOptions {
  version: string;
  /** The open project, if any: its latest run's provider and its file's schema version. */
  project?: { path: string; db: Db } | null;
  commit?: string;
}

/**
 * The About record. Plain Node: Electron's and Chromium's versions come from
 * process.versions, which only Electron's main process fills in. onnxruntime-node is loaded
 * on demand, so opening the app does not load its native library before a ranking needs it.
 */
export async function aboutWinnow(options: AboutOptions): Promise<AboutInfo> {
  const providers = await import('../inference/execution-providers');
  const project = options.project ?? null;
  const latest = project
    ? ((project.db.prepare('SELECT id, provider, created_at AS at FROM runs ORDER BY id DESC LIMIT 1').get() as { id: number; provider: string; at: string } | undefined) ?? null)
    : null;
  return {
    name: 'Winnow',
    version: options.version,
    commit: options.commit ?? buildCommit,
    runtime: {
      electron: process.versions.electron ?? null,
      chrome: process.versions.chrome ?? null,
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
    },
    onnxRuntime: {
      version: providers.onnxRuntimeVersion(),
      available: providers.availableProviders(),
      order: providers.providerPreference(),
      notTried: providers.providersLeftOut(),
      lastUsed: latest && { provider: latest.provider, run: latest.id, at: latest.at },
    },
    schemaVersion: LATEST_SCHEMA_VERSION,
    project: project && { path: project.path, schemaVersion: project.db.pragma('user_version', { simple: true }) as number },
  };
}

const VERSION_FLAGS = new Set(['--version', '-V']);

/**
 * Whether a command line asks for `--version --json` (either order, `-V` too). The CLI passes
 * its arguments alone (anything else is a command for commander); the desktop app's command
 * line also carries Chromium switches and the app folder, so there only the two flags count.
 */
export function asksVersionJson(args: readonly string[], { only }: { only: boolean }): boolean {
  const wanted = args.some((a) => VERSION_FLAGS.has(a)) && args.includes('--json');
  return wanted && (!only || args.every((a) => VERSION_FLAGS.has(a) || a === '--json'));
}
