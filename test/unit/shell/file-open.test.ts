import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { openFromOutside, sameProjectFile, type FileOpenTarget } from '../../../src/main/shell/file-open';
import { claimSingleInstance } from '../../../src/main/shell/single-instance';
import { tempDir } from '../../helpers/temp-dir';

function target(current: string | null) {
  const calls: string[] = [];
  const t: FileOpenTarget & { calls: string[] } = {
    calls,
    currentProject: () => current,
    focus: () => void calls.push('focus'),
    open: (projectPath) => void calls.push(`open:${projectPath}`),
  };
  return t;
}

describe('a .winnow opened from outside the app', () => {
  it('only focuses the window when it already shows that project', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.winnow');
    fs.writeFileSync(file, '');
    const t = target(file);
    expect(openFromOutside(file, t)).toBe('focused');
    expect(t.calls).toEqual(['focus']);
  });

  it('focuses the window and opens another project', () => {
    const dir = tempDir();
    const t = target(path.join(dir, 'a.winnow'));
    expect(openFromOutside(path.join(dir, 'b.winnow'), t)).toBe('opening');
    expect(t.calls).toEqual(['focus', `open:${path.join(dir, 'b.winnow')}`]);
    const empty = target(null);
    openFromOutside(path.join(dir, 'b.winnow'), empty);
    expect(empty.calls).toEqual(['focus', `open:${path.join(dir, 'b.winnow')}`]);
  });

  it('knows the open project under another name: a symlink, a relative path, Windows letter case', () => {
    const dir = tempDir();
    const file = path.join(dir, 'Project.winnow');
    fs.writeFileSync(file, '');
    fs.symlinkSync(file, path.join(dir, 'link.winnow'));
    expect(sameProjectFile(file, path.join(dir, 'link.winnow'))).toBe(true);
    expect(sameProjectFile(file, path.relative(process.cwd(), file))).toBe(true);
    expect(sameProjectFile(file, path.join(dir, 'other.winnow'))).toBe(false);
    expect(sameProjectFile('/Data/Project.winnow', '/data/project.winnow', 'win32')).toBe(true);
    expect(sameProjectFile('/Data/Project.winnow', '/data/project.winnow', 'linux')).toBe(false);
  });

  it('goes through the single-instance lock: a second launch and Finder both reach it', () => {
    const dir = tempDir();
    const open = path.join(dir, 'open.winnow');
    const other = path.join(dir, 'other.winnow');
    fs.writeFileSync(open, '');
    const events = new EventEmitter();
    const app = { requestSingleInstanceLock: () => true, on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener) } as unknown as Pick<App, 'requestSingleInstanceLock' | 'on'>;
    const t = target(open);
    expect(claimSingleInstance(app, null, { focus: t.focus, openProject: (p) => openFromOutside(p, t) })).toBe(true);
    // A desktop entry's %U hands over a file:// URL; the lock's data carries the launch's own path.
    events.emit('second-instance', {}, ['winnow', pathToFileURL(open).href], dir, { projectPath: null });
    expect(t.calls.filter((c) => c.startsWith('open:'))).toEqual([]);
    events.emit('second-instance', {}, ['winnow'], dir, { projectPath: 'other.winnow' });
    expect(t.calls.at(-1)).toBe(`open:${other}`);
    const preventDefault = vi.fn();
    events.emit('open-file', { preventDefault }, open);
    expect(preventDefault).toHaveBeenCalled();
    expect(t.calls.filter((c) => c.startsWith('open:'))).toEqual([`open:${other}`]);
  });
});
