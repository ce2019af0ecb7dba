import { describe, expect, it, vi } from 'vitest';
import { WinnowError } from '../../../src/shared/errors';
import { describeOpenFailure, ProjectLauncher, withProjectExtension, type LauncherDialogs } from '../../../src/main/shell/project-launcher';

/** Dialogs that answer from scripts, recording what they were asked. */
function scriptedDialogs(script: { messageBox?: number[]; open?: (string | null)[]; save?: (string | null)[] }) {
  const asked: { kind: string; options: Record<string, unknown> }[] = [];
  const dialogs: LauncherDialogs = {
    showMessageBox: vi.fn(async (options) => {
      asked.push({ kind: 'message', options: options as never });
      return { response: script.messageBox?.shift() ?? 0 };
    }),
    showOpenDialog: vi.fn(async (options) => {
      asked.push({ kind: 'open', options: options as never });
      const next = script.open?.shift() ?? null;
      return { canceled: next === null, filePaths: next ? [next] : [] };
    }),
    showSaveDialog: vi.fn(async (options) => {
      asked.push({ kind: 'save', options: options as never });
      const next = script.save?.shift() ?? null;
      return next === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: next };
    }),
  };
  return { dialogs, asked };
}

/** A core whose openProject fails for the paths listed. */
function fakeCore(failures: Record<string, Error>) {
  const opened: { path: string; create: boolean }[] = [];
  return {
    opened,
    openProject: (projectPath: string, create = false) => {
      const failure = failures[projectPath];
      if (failure) throw failure;
      opened.push({ path: projectPath, create });
    },
  };
}

const corrupt = new WinnowError('INVALID_FILE', '/data/bad.winnow is not a Winnow project (file is not a database)');
const missing = new WinnowError('NOT_FOUND', 'Project file not found: /data/gone.winnow');

describe('opening a project', () => {
  it('opens a good file without asking anything', async () => {
    const core = fakeCore({});
    const { dialogs, asked } = scriptedDialogs({});
    const onOpened = vi.fn();
    const launcher = new ProjectLauncher({ openProject: core.openProject, dialogs, onOpened });
    expect(await launcher.open('/data/good.winnow')).toBe('/data/good.winnow');
    expect(asked).toEqual([]);
    expect(onOpened).toHaveBeenCalledWith('/data/good.winnow');
  });

  it('explains a corrupt file and opens another one the user picks', async () => {
    const core = fakeCore({ '/data/bad.winnow': corrupt });
    const { dialogs, asked } = scriptedDialogs({ messageBox: [0], open: ['/data/good.winnow'] });
    const launcher = new ProjectLauncher({ openProject: core.openProject, dialogs });
    expect(await launcher.open('/data/bad.winnow')).toBe('/data/good.winnow');
    expect(asked[0]!.options).toMatchObject({ type: 'error', message: 'The project file is damaged or is not a Winnow project.', buttons: ['Open Another Project…', 'Cancel'] });
    expect(String(asked[0]!.options.detail)).toContain('file is not a database');
    expect(asked[1]!.options).toMatchObject({ filters: [{ name: 'Winnow project', extensions: ['winnow'] }], properties: ['openFile'] });
    expect(core.opened).toEqual([{ path: '/data/good.winnow', create: false }]);
  });

  it('keeps offering a way out while the chosen files fail, until the user cancels', async () => {
    const core = fakeCore({ '/data/bad.winnow': corrupt, '/data/gone.winnow': missing });
    const { dialogs, asked } = scriptedDialogs({ messageBox: [0, 1], open: ['/data/gone.winnow'] });
    const launcher = new ProjectLauncher({ openProject: core.openProject, dialogs });
    expect(await launcher.open('/data/bad.winnow')).toBeNull();
    expect(asked.map((a) => a.kind)).toEqual(['message', 'open', 'message']);
    expect(asked[2]!.options).toMatchObject({ message: 'The project file was not found.' });
    expect(core.opened).toEqual([]);
  });

  it('offers the demo project as a way out when there is one', async () => {
    const core = fakeCore({ '/data/gone.winnow': missing });
    const { dialogs, asked } = scriptedDialogs({ messageBox: [1] });
    const launcher = new ProjectLauncher({ openProject: core.openProject, dialogs, demoProject: async () => '/user/demo.winnow' });
    expect(await launcher.open('/data/gone.winnow')).toBe('/user/demo.winnow');
    expect(asked[0]!.options).toMatchObject({ buttons: ['Open Another Project…', 'Open Demo Project', 'Cancel'], cancelId: 2, defaultId: 0 });
  });

  it('stops when picking another file is cancelled', async () => {
    const core = fakeCore({ '/data/bad.winnow': corrupt });
    const { dialogs } = scriptedDialogs({ messageBox: [0], open: [null] });
    expect(await new ProjectLauncher({ openProject: core.openProject, dialogs }).open('/data/bad.winnow')).toBeNull();
  });

  it('only informs when another project would not help (a job is running)', async () => {
    const core = fakeCore({ '/data/x.winnow': new WinnowError('CONFLICT', 'Wait for the running job to finish before switching projects') });
    const { dialogs, asked } = scriptedDialogs({});
    expect(await new ProjectLauncher({ openProject: core.openProject, dialogs }).open('/data/x.winnow')).toBeNull();
    expect(asked).toHaveLength(1);
    expect(asked[0]!.options).toMatchObject({ buttons: ['OK'], message: 'Wait for the running job to finish before switching projects' });
  });

  it('opens through the open dialog', async () => {
    const core = fakeCore({});
    const { dialogs } = scriptedDialogs({ open: ['/data/good.winnow'] });
    expect(await new ProjectLauncher({ openProject: core.openProject, dialogs }).openWithDialog()).toBe('/data/good.winnow');
    const { dialogs: cancelled } = scriptedDialogs({ open: [null] });
    expect(await new ProjectLauncher({ openProject: core.openProject, dialogs: cancelled }).openWithDialog()).toBeNull();
  });
});

describe('creating a project', () => {
  it('adds the extension and creates the file', async () => {
    const core = fakeCore({});
    const { dialogs, asked } = scriptedDialogs({ save: ['/data/new'] });
    expect(await new ProjectLauncher({ openProject: core.openProject, dialogs }).createWithDialog()).toBe('/data/new.winnow');
    expect(core.opened).toEqual([{ path: '/data/new.winnow', create: true }]);
    expect(asked[0]!.options).toMatchObject({ defaultPath: 'Untitled.winnow', filters: [{ name: 'Winnow project', extensions: ['winnow'] }] });
  });

  it('never overwrites: an existing file is offered for opening instead', async () => {
    const exists = new WinnowError('CONFLICT', '/data/old.winnow already exists; open it instead');
    const opened: { path: string; create: boolean }[] = [];
    const openProject = (projectPath: string, create = false) => {
      if (create) throw exists;
      opened.push({ path: projectPath, create });
    };
    const { dialogs, asked } = scriptedDialogs({ save: ['/data/old.winnow'], messageBox: [0] });
    expect(await new ProjectLauncher({ openProject, dialogs }).createWithDialog()).toBe('/data/old.winnow');
    expect(asked[1]!.options).toMatchObject({ buttons: ['Open It', 'Cancel'] });
    expect(opened).toEqual([{ path: '/data/old.winnow', create: false }]);
  });

  it('does nothing when the save dialog is cancelled', async () => {
    const core = fakeCore({});
    const { dialogs } = scriptedDialogs({ save: [null] });
    expect(await new ProjectLauncher({ openProject: core.openProject, dialogs }).createWithDialog()).toBeNull();
    expect(core.opened).toEqual([]);
  });

  it('normalises the extension to what the core accepts', () => {
    expect(withProjectExtension('/d/a')).toBe('/d/a.winnow');
    expect(withProjectExtension('/d/a.winnow')).toBe('/d/a.winnow');
    expect(withProjectExtension('/d/a.WINNOW')).toBe('/d/a.winnow');
    expect(withProjectExtension('/d/a.json')).toBe('/d/a.json.winnow');
  });
});

describe('describing open failures', () => {
  it('tells a locked file from a damaged one', () => {
    const locked = describeOpenFailure('/d/p.winnow', new WinnowError('INVALID_FILE', '/d/p.winnow is not a Winnow project (database is locked)'));
    expect(locked.message).toBe('The project file is locked by another program.');
    expect(locked.offerAnother).toBe(true);
    expect(describeOpenFailure('/d/p.winnow', corrupt).message).toMatch(/damaged/);
  });

  it('blames the installation, not the file, when the native module does not load', () => {
    const abi = new WinnowError('INVALID_FILE', "Cannot open project /d/p.winnow: The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115.");
    const failure = describeOpenFailure('/d/p.winnow', abi);
    expect(failure.message).toMatch(/database module/);
    expect(failure.offerAnother).toBe(false);
  });

  it('reads codes from error values that crossed a boundary', () => {
    expect(describeOpenFailure('/d/p.winnow', Object.assign(new Error('gone'), { code: 'NOT_FOUND' })).message).toBe('The project file was not found.');
    expect(describeOpenFailure('/d/p.winnow', 'weird').offerAnother).toBe(true);
  });
});
