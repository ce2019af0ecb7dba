import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  captureWindowState,
  loadWindowState,
  parseWindowState,
  placeWindow,
  saveWindowState,
  trackWindowState,
  type TrackedWindow,
} from '../../../src/main/shell/window-state';
import { tempDir } from '../../helpers/temp-dir';

const defaults = { width: 1400, height: 900, minWidth: 900, minHeight: 600 };
const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('window state file', () => {
  it('parses a valid state and fills defaults', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":1200,"height":800}')).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: false, fullScreen: false });
  });

  it('rejects malformed or hostile content instead of throwing', () => {
    for (const text of ['', 'not json', 'null', '[]', '{"width":"big","height":800}', '{"width":1e9,"height":800}', '{"width":0,"height":800}', '{"width":1.5,"height":800}', '{"x":10,"height":800}', '{"width":1200,"height":800,"maximized":"yes"}']) {
      expect(parseWindowState(text), text).toBeNull();
    }
  });

  it('round-trips through the data folder and replaces the file atomically', () => {
    const file = path.join(tempDir(), 'nested', 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    saveWindowState(file, { x: -1200, y: 40, width: 1000, height: 700, maximized: true, fullScreen: false });
    expect(loadWindowState(file)).toEqual({ x: -1200, y: 40, width: 1000, height: 700, maximized: true, fullScreen: false });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['window-state.json']);
  });

  it('treats a corrupt file as no saved state', () => {
    const file = path.join(tempDir(), 'window-state.json');
    fs.writeFileSync(file, '{"x": 1, "y":');
    expect(loadWindowState(file)).toBeNull();
  });
});

describe('placing the window on the displays there are now', () => {
  it('uses defaults centred on the primary display without saved state', () => {
    expect(placeWindow(null, [primary], defaults)).toEqual({ x: 260, y: 70, width: 1400, height: 900, maximized: false, fullScreen: false });
  });

  it('keeps a saved window that is fully visible where it was', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000, maximized: false, fullScreen: false };
    expect(placeWindow(saved, [primary, right], defaults)).toEqual(saved);
  });

  it('re-centres a window whose display was unplugged', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000, maximized: true, fullScreen: false };
    expect(placeWindow(saved, [primary], defaults)).toEqual({ x: 160, y: 20, width: 1600, height: 1000, maximized: true, fullScreen: false });
  });

  it('re-centres a window with only a sliver left on screen', () => {
    const saved = { x: 1900, y: 100, width: 1200, height: 800, maximized: false, fullScreen: false };
    expect(placeWindow(saved, [primary], defaults)).toMatchObject({ x: 360, y: 120, width: 1200, height: 800 });
  });

  it('pulls a partly visible window fully onto its display', () => {
    const saved = { x: 1000, y: -50, width: 1200, height: 800, maximized: false, fullScreen: false };
    expect(placeWindow(saved, [primary], defaults)).toMatchObject({ x: 720, y: 0, width: 1200, height: 800 });
  });

  it('shrinks a window larger than its display, but not below the minimum size', () => {
    const small = { x: 0, y: 0, width: 1280, height: 720 };
    expect(placeWindow({ x: 0, y: 0, width: 3000, height: 2000, maximized: false, fullScreen: false }, [small], defaults)).toMatchObject({ x: 0, y: 0, width: 1280, height: 720 });
    expect(placeWindow({ x: 10, y: 10, width: 300, height: 200, maximized: false, fullScreen: false }, [primary], defaults)).toMatchObject({ x: 10, y: 10, width: 900, height: 600 });
  });

  it('prefers the display that shows most of the window', () => {
    const saved = { x: 1500, y: 100, width: 1400, height: 900, maximized: false, fullScreen: false };
    expect(placeWindow(saved, [primary, right], defaults)).toMatchObject({ x: 1920, y: 100 });
  });

  it('handles displays left of and above the primary one', () => {
    const left = { x: -1600, y: -200, width: 1600, height: 900 };
    const saved = { x: -1500, y: -150, width: 1000, height: 700, maximized: false, fullScreen: false };
    expect(placeWindow(saved, [primary, left], defaults)).toMatchObject({ x: -1500, y: -150 });
  });

  it('copes with no displays at all (headless)', () => {
    expect(placeWindow(null, [], defaults)).toEqual({ width: 1400, height: 900, maximized: false, fullScreen: false });
  });

  it('restores maximised and full-screen flags', () => {
    expect(placeWindow({ width: 1200, height: 800, maximized: true, fullScreen: true }, [primary], defaults)).toMatchObject({ maximized: true, fullScreen: true });
  });
});

describe('tracking the window', () => {
  afterEach(() => vi.useRealTimers());

  function fakeWindow() {
    const events = new EventEmitter();
    const state = { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: false, fullScreen: false };
    const window = {
      getNormalBounds: () => state.bounds,
      isMaximized: () => state.maximized,
      isFullScreen: () => state.fullScreen,
      on: (event: string, listener: () => void) => events.on(event, listener),
    } as unknown as TrackedWindow;
    return { window, events, state };
  }

  it('saves the normal bounds, not the maximised ones', () => {
    const fake = fakeWindow();
    fake.state.maximized = true;
    expect(captureWindowState(fake.window)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true, fullScreen: false });
  });

  it('saves once after moves settle, and on close', () => {
    vi.useFakeTimers();
    const file = path.join(tempDir(), 'window-state.json');
    const fake = fakeWindow();
    trackWindowState(fake.window, file, 500);
    fake.events.emit('move');
    fake.state.bounds = { x: 50, y: 60, width: 1100, height: 750 };
    fake.events.emit('resize');
    expect(fs.existsSync(file)).toBe(false);
    vi.advanceTimersByTime(500);
    expect(loadWindowState(file)).toMatchObject({ x: 50, y: 60, width: 1100, height: 750 });
    fake.state.maximized = true;
    fake.events.emit('close');
    expect(loadWindowState(file)).toMatchObject({ maximized: true });
  });

  it('never throws when the state cannot be written', () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const fake = fakeWindow();
    trackWindowState(fake.window, path.join(blocker, 'window-state.json'));
    expect(() => fake.events.emit('close')).not.toThrow();
  });
});
