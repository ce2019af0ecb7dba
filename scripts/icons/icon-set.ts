import { createHash } from 'node:crypto';

/**
 * Every icon file Winnow ships, rendered by `npm run icons` (scripts/icons/generate.ts) from
 * the one drawing in resources/icon.svg. electron-builder.yml points at these paths, and
 * test/unit/shell/packaging-config.test.ts checks each file against this list, so a size
 * removed here, there or on disk fails `npm test`.
 */

export const ICON_SOURCE = 'resources/icon.svg';

/** electron-builder's buildResources folder: packaging inputs that are not in the app itself. */
export const BUILD_RESOURCES = 'build';

/** Linux: an icon set folder of NxN.png files (electron-builder reads the size from the name). */
export const LINUX_ICON_DIR = 'build/icons';
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const linuxIconFile = (size: number) => `${LINUX_ICON_DIR}/${size}x${size}.png`;

/** Windows: one .ico with the sizes Explorer and the taskbar pick from (256 is the largest ICO holds). */
export const WINDOWS_ICON = 'build/icon.ico';
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

/**
 * macOS: an .icns with PNG entries. The OSType says the size: icp4/icp5/icp6 16/32/64,
 * ic07-ic10 128-1024, and the @2x variants ic11 (16@2x), ic12 (32@2x), ic13 (128@2x),
 * ic14 (256@2x); ic10 doubles as 512@2x.
 */
export const MAC_ICON = 'build/icon.icns';
export const ICNS_ENTRIES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
] as const;

/** The window and taskbar icon at run time (Linux, Windows; the Dock in unpackaged runs): shipped in resources/. */
export const WINDOW_ICON = 'resources/icon.png';
export const WINDOW_ICON_SIZE = 512;

/** Browser mode's favicon: copied by Vite from the renderer's public folder to out/renderer/. */
export const FAVICON_SVG = 'src/renderer/public/favicon.svg';
export const FAVICON_PNG = 'src/renderer/public/favicon.png';
export const FAVICON_PNG_SIZE = 32;

/**
 * What the last `npm run icons` rendered from which source: lets the test tell a drawing
 * edited without re-rendering (stale icons) from icons that are simply missing.
 */
export const ICON_MANIFEST = 'build/icon-manifest.json';

export interface IconManifest {
  source: { path: string; sha256: string };
  files: Record<string, { sha256: string; width: number; height: number }>;
}

/** The drawing's digest with line endings normalised, so a CRLF checkout does not look stale. */
export function sourceDigest(svg: Buffer | string): string {
  return createHash('sha256').update(String(svg).replace(/\r\n/g, '\n')).digest('hex');
}

export function fileDigest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
