import { EventEmitter } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance, projectPathFromArgv, projectPathFromSecondInstance } from '../../../src/main/shell/single-instance';

const cwd = path.resolve('/home/ana/work');

describe('project path from the command line', () => {
  it('finds a .winnow file among switches, skipping the executable and the app folder', () => {
    expect(projectPathFromArgv(['/opt/Winnow/winnow', '--no-sandbox', '/data/tacred.winnow'], cwd)).toBe(path.resolve('/data/tacred.winnow'));
    expect(projectPathFromArgv(['/usr/bin/electron', '/src/winnow', 'tacred.winnow', '--original-process-start-time=1'], cwd)).toBe(path.join(cwd, 'tacred.winnow'));
  });

  it('returns null when no project is named', () => {
    expect(projectPathFromArgv(['/opt/Winnow/winnow'], cwd)).toBeNull();
    expect(projectPathFromArgv(['/opt/Winnow/winnow', '--inspect=0', '/src/winnow', 'notes.txt', ''], cwd)).toBeNull();
    expect(projectPathFromArgv([], cwd)).toBeNull();
  });

  it('ignores switches that merely end in .winnow', () => {
    expect(projectPathFromArgv(['winnow', '--log-file=debug.winnow'], cwd)).toBeNull();
  });

  it('does not take the executable itself for a project', () => {
    expect(projectPathFromArgv(['/odd/place/app.winnow'], cwd)).toBeNull();
  });

  it('accepts file:// URLs (Linux desktop entries) and any case of the extension', () => {
    const file = path.resolve('/data/My Project.winnow');
    expect(projectPathFromArgv(['winnow', pathToFileURL(file).href], cwd)).toBe(file);
    expect(projectPathFromArgv(['winnow', 'C.WINNOW'], cwd)).toBe(path.join(cwd, 'C.WINNOW'));
    expect(projectPathFromArgv(['winnow', 'file://remote-host/x.winnow'], cwd)).toBe(process.platform === 'win32' ? '\\\\remote-host\\x.winnow' : null);
  });

  it('takes the last project when several are named', () => {
    expect(projectPathFromArgv(['winnow', 'a.winnow', 'b.winnow'], cwd)).toBe(path.join(cwd, 'b.winnow'));
  });
});

describe('second instance', () => {
  it('prefers the project the second instance resolved itself', () => {
    expect(projectPathFromSecondInstance(['winnow', 'ignored.winnow'], '/elsewhere', { projectPath: '/data/x.winnow' })).toBe(path.resolve('/data/x.winnow'));
  });

  it('falls back to its argv, resolved against its own working directory', () => {
    const theirs = path.resolve('/home/bo');
    expect(projectPathFromSecondInstance(['winnow', 'y.winnow'], theirs, undefined)).toBe(path.join(theirs, 'y.winnow'));
    expect(projectPathFromSecondInstance(['winnow', 'y.winnow'], theirs, { projectPath: 42 })).toBe(path.join(theirs, 'y.winnow'));
    expect(projectPathFromSecondInstance(['winnow'], theirs, { projectPath: null })).toBeNull();
  });

  function fakeApp(locked: boolean) {
    const events = new EventEmitter();
    const app = { requestSingleInstanceLock: vi.fn(() => locked), on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener) };
    return { app: app as never, events, request: app.requestSingleInstanceLock };
  }

  it('hands our project to the running instance and tells us to quit', () => {
    const fake = fakeApp(false);
    const handlers = { focus: vi.fn(), openProject: vi.fn() };
    expect(claimSingleInstance(fake.app, '/data/z.winnow', handlers)).toBe(false);
    expect(fake.request).toHaveBeenCalledWith({ projectPath: '/data/z.winnow' });
    expect(fake.events.listenerCount('second-instance')).toBe(0);
  });

  it('focuses the window and opens what a later launch asks for', () => {
    const fake = fakeApp(true);
    const handlers = { focus: vi.fn(), openProject: vi.fn() };
    expect(claimSingleInstance(fake.app, null, handlers)).toBe(true);
    fake.events.emit('second-instance', {}, ['winnow', 'w.winnow'], path.resolve('/tmp'), { projectPath: null });
    expect(handlers.focus).toHaveBeenCalledOnce();
    expect(handlers.openProject).toHaveBeenCalledExactlyOnceWith(path.resolve('/tmp/w.winnow'));
    fake.events.emit('second-instance', {}, ['winnow'], '/tmp', {});
    expect(handlers.focus).toHaveBeenCalledTimes(2);
    expect(handlers.openProject).toHaveBeenCalledOnce();
  });

  it('opens .winnow files macOS hands over, and nothing else', () => {
    const fake = fakeApp(true);
    const handlers = { focus: vi.fn(), openProject: vi.fn() };
    claimSingleInstance(fake.app, null, handlers);
    const event = { preventDefault: vi.fn() };
    fake.events.emit('open-file', event, '/Users/ana/p.winnow');
    fake.events.emit('open-file', event, '/Users/ana/notes.txt');
    expect(event.preventDefault).toHaveBeenCalledTimes(2);
    expect(handlers.openProject).toHaveBeenCalledExactlyOnceWith(path.resolve('/Users/ana/p.winnow'));
  });
});
