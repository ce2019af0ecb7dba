import fs from 'node:fs';
import path from 'node:path';

/**
 * A .winnow handed to the running app from outside: a double-click (file association), a
 * second launch with a file, Finder's open-file, a jump list. Winnow keeps one window per
 * data folder, so "the window of that project" is that window showing that project.
 */
export interface FileOpenTarget {
  /** The project the window shows now, if any. */
  currentProject(): string | null;
  focus(): void;
  open(projectPath: string): void;
}

/**
 * Whether two paths name one file: the OS may hand over a symlinked or differently cased
 * path (Windows paths are case-insensitive) for the project already open.
 */
export function sameProjectFile(a: string, b: string, platform: NodeJS.Platform = process.platform): boolean {
  const canonical = (p: string) => {
    let resolved = path.resolve(p);
    try {
      resolved = fs.realpathSync.native(resolved);
    } catch {
      // A missing file is compared as written; opening it will explain.
    }
    return platform === 'win32' ? resolved.toLowerCase() : resolved;
  };
  return canonical(a) === canonical(b);
}

/**
 * Brings the window forward and shows the project. The project already open is not opened
 * again: that would reset the page for nothing, and is refused while a job runs.
 */
export function openFromOutside(projectPath: string, target: FileOpenTarget): 'focused' | 'opening' {
  target.focus();
  const current = target.currentProject();
  if (current !== null && sameProjectFile(current, projectPath)) return 'focused';
  target.open(projectPath);
  return 'opening';
}
