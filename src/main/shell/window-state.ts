import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';

/**
 * The main window's size, position and maximised state, kept in userData as JSON. The file is
 * user-writable, so it is validated, and a saved position is only reused where it is still
 * visible (a monitor may have been unplugged since).
 */
const Coordinate = z.number().int().min(-100_000).max(100_000);
const Extent = z.number().int().min(1).max(100_000);

export const WindowState = z.object({
  x: Coordinate.optional(),
  y: Coordinate.optional(),
  width: Extent,
  height: Extent,
  maximized: z.boolean().default(false),
  fullScreen: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

export interface WindowDefaults {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

export interface PlacedWindow {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
  fullScreen: boolean;
}

/** Minimum visible part of a saved window, so its title bar can still be grabbed. */
const MIN_VISIBLE = { width: 120, height: 40 };

export function parseWindowState(text: string): WindowState | null {
  try {
    const parsed = WindowState.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max));

/**
 * Places a saved window on the displays there are now. `workAreas` lists the primary
 * display's work area first. A window still visible enough stays on its display, moved and
 * shrunk to fit it; otherwise it is centred on the primary display.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rectangle[], defaults: WindowDefaults): PlacedWindow {
  const maximized = saved?.maximized ?? false;
  const fullScreen = saved?.fullScreen ?? false;
  const primary = workAreas[0];
  const wanted = { width: Math.max(saved?.width ?? defaults.width, defaults.minWidth), height: Math.max(saved?.height ?? defaults.height, defaults.minHeight) };
  if (!primary) return { ...wanted, maximized, fullScreen };

  let target: Rectangle | undefined;
  if (saved?.x !== undefined && saved.y !== undefined) {
    const rect = { x: saved.x, y: saved.y, ...wanted };
    let best = 0;
    for (const area of workAreas) {
      const seen = overlap(rect, area);
      const score = seen.width >= MIN_VISIBLE.width && seen.height >= MIN_VISIBLE.height ? seen.width * seen.height : 0;
      if (score > best) {
        best = score;
        target = area;
      }
    }
  }

  if (!target) {
    const width = Math.min(wanted.width, primary.width);
    const height = Math.min(wanted.height, primary.height);
    return {
      x: primary.x + Math.round((primary.width - width) / 2),
      y: primary.y + Math.round((primary.height - height) / 2),
      width,
      height,
      maximized,
      fullScreen,
    };
  }
  const width = Math.min(wanted.width, target.width);
  const height = Math.min(wanted.height, target.height);
  return {
    x: clamp(saved!.x!, target.x, target.x + target.width - width),
    y: clamp(saved!.y!, target.y, target.y + target.height - height),
    width,
    height,
    maximized,
    fullScreen,
  };
}

export function loadWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Written under a temporary name and renamed, so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(WindowState.parse(state), null, 2));
  fs.renameSync(temp, file);
}

export type TrackedWindow = Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized' | 'isFullScreen' | 'on'>;

/** The normal (unmaximised) bounds are what is saved, so un-maximising later restores them. */
export function captureWindowState(window: Pick<TrackedWindow, 'getNormalBounds' | 'isMaximized' | 'isFullScreen'>): WindowState {
  const bounds = window.getNormalBounds();
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.max(1, Math.round(bounds.width)),
    height: Math.max(1, Math.round(bounds.height)),
    maximized: window.isMaximized(),
    fullScreen: window.isFullScreen(),
  };
}

/** Saves shortly after the window stops moving or resizing, and once more when it closes. */
export function trackWindowState(window: TrackedWindow, file: string, delayMs = 500): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    try {
      saveWindowState(file, captureWindowState(window));
    } catch {
      // Losing the window position is not worth interrupting the user for.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('maximize', later);
  window.on('unmaximize', later);
  window.on('enter-full-screen', later);
  window.on('leave-full-screen', later);
  window.on('close', save);
}
