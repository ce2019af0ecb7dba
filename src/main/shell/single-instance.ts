import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from 'electron';
import { z } from 'zod';

export const PROJECT_EXTENSION = '.winnow';

/**
 * The project a launch asks for: the last argument naming a .winnow file. Windows and Linux
 * pass files on the command line (Linux desktop entries may pass file:// URLs); Chromium
 * switches and the executable are skipped; relative paths resolve against the launch's
 * working directory, which for a second instance is its own, not ours.
 */
export function projectPathFromArgv(argv: readonly string[], cwd: string): string | null {
  let found: string | null = null;
  for (const arg of argv.slice(1)) {
    if (!arg || arg.startsWith('-')) continue;
    let candidate = arg;
    if (/^file:/i.test(arg)) {
      try {
        candidate = fileURLToPath(arg);
      } catch {
        continue;
      }
    }
    if (candidate.toLowerCase().endsWith(PROJECT_EXTENSION)) found = path.resolve(cwd, candidate);
  }
  return found;
}

/** What a second instance hands the first: its argv may be reordered, this is not. */
const LaunchData = z.object({ projectPath: z.string().min(1).nullable() });
export type LaunchData = z.infer<typeof LaunchData>;

export function projectPathFromSecondInstance(argv: readonly string[], workingDirectory: string, additionalData: unknown): string | null {
  const data = LaunchData.safeParse(additionalData);
  if (data.success && data.data.projectPath) return path.resolve(workingDirectory, data.data.projectPath);
  return projectPathFromArgv(argv, workingDirectory);
}

export interface SingleInstanceHandlers {
  /** Bring the existing window forward. */
  focus(): void;
  /** Open a project asked for by a later launch (or by Finder on macOS). */
  openProject(projectPath: string): void;
}

/**
 * Claims the one-instance lock (per user-data folder). Returns false when another instance
 * already holds it; that instance has then been handed our project and focused, and this one
 * should quit. macOS sends files through 'open-file' instead, which can arrive before the app
 * is ready, so it is registered here, early.
 */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on'>, launchProject: string | null, handlers: SingleInstanceHandlers): boolean {
  const data: LaunchData = { projectPath: launchProject };
  if (!app.requestSingleInstanceLock(data)) return false;
  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    handlers.focus();
    const requested = projectPathFromSecondInstance(argv, workingDirectory, additionalData);
    if (requested) handlers.openProject(requested);
  });
  app.on('open-file', (event, file) => {
    event.preventDefault();
    if (file.toLowerCase().endsWith(PROJECT_EXTENSION)) handlers.openProject(path.resolve(file));
  });
  return true;
}
