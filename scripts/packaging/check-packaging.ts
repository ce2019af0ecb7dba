/**
 * An offline check of electron-builder.yml against the files it refers to, so that a broken
 * packaging configuration fails `npm test` here instead of `npm run dist` on a release
 * machine (electron-builder itself needs the network). It reads the YAML with a YAML parser,
 * checks the shape of the keys Winnow uses against electron-builder 26's schema for them, and
 * then what a package would hold: every referenced file, the icons at every size, the native
 * modules and ONNX Runtime binaries per platform, inside or outside app.asar.
 *
 * File selection follows electron-builder 26 (app-builder-lib's fileMatcher.ts and
 * util/filter.ts): patterns are minimatch globs with `dot: true` on paths relative to the
 * project; the last pattern that matches decides; production dependencies are taken from
 * node_modules with only the exclusions (`!…`) of `files` and the platform's `files` applied.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Icns } from '@fiahfy/icns';
import { Minimatch } from 'minimatch';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import {
  BUILD_RESOURCES,
  FAVICON_PNG,
  FAVICON_SVG,
  ICNS_ENTRIES,
  ICO_SIZES,
  ICON_MANIFEST,
  ICON_SOURCE,
  LINUX_ICON_DIR,
  LINUX_SIZES,
  MAC_ICON,
  WINDOW_ICON,
  WINDOW_ICON_SIZE,
  WINDOWS_ICON,
  fileDigest,
  linuxIconFile,
  sourceDigest,
  type IconManifest,
} from '../icons/icon-set';

export const PLATFORMS = ['linux', 'win32', 'darwin'] as const;
export type Platform = (typeof PLATFORMS)[number];
/** electron-builder's names for the platform sections. */
const SECTION: Record<Platform, 'linux' | 'win' | 'mac'> = { linux: 'linux', win32: 'win', darwin: 'mac' };

const Patterns = z.array(z.string());
const FileSet = z.strictObject({ from: z.string(), to: z.string(), filter: z.union([z.string(), z.array(z.string())]).optional() });
const FileAssociation = z.strictObject({
  ext: z.union([z.string(), z.array(z.string())]),
  name: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  role: z.enum(['Editor', 'Viewer', 'Shell', 'None']).optional(),
  icon: z.string().optional(),
  rank: z.string().optional(),
  isPackage: z.boolean().optional(),
});
const PlatformSection = {
  target: z.union([z.string(), z.array(z.string())]),
  icon: z.string(),
  files: Patterns.optional(),
  category: z.string().optional(),
};

/**
 * The keys Winnow sets, with electron-builder 26's types (scheme.json). Strict where that
 * schema is strict and a mistake is easy: v26 moved desktop entry keys under
 * `linux.desktop.entry`, and a key left directly under `desktop` aborts `npm run dist`.
 */
export const BuilderConfig = z
  .object({
    appId: z.string().regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'a reverse-DNS id such as org.example.app'),
    productName: z.string().trim().min(1),
    copyright: z.string().optional(),
    directories: z.object({ output: z.string().min(1), buildResources: z.string().min(1) }),
    npmRebuild: z.boolean(),
    nodeGypRebuild: z.boolean(),
    files: Patterns.min(1),
    asar: z.boolean(),
    asarUnpack: Patterns.min(1),
    extraResources: z.array(FileSet),
    fileAssociations: z.array(FileAssociation).min(1),
    electronFuses: z.record(z.string(), z.boolean()),
    linux: z.object({
      ...PlatformSection,
      executableName: z.string().regex(/^[a-z0-9._-]+$/, 'lower-case letters, digits, . _ -'),
      synopsis: z.string().optional(),
      desktop: z.strictObject({
        entry: z.record(z.string(), z.string()).optional(),
        desktopActions: z.record(z.string(), z.record(z.string(), z.string())).optional(),
      }),
    }),
    win: z.object(PlatformSection),
    mac: z.object(PlatformSection),
    nsis: z.object({}).passthrough().optional(),
    publish: z.null().optional(),
  })
  .passthrough();
export type BuilderConfig = z.infer<typeof BuilderConfig>;

export interface CheckOptions {
  /** The project folder: electron-builder.yml, package.json, build/, resources/, src/renderer. */
  root: string;
  /** Where node_modules is (defaults to root/node_modules): a test may check a copy of the project. */
  nodeModules?: string;
}

export interface PackagingReport {
  problems: string[];
  config: BuilderConfig | null;
}

const matcher = (pattern: string) => new Minimatch(pattern.replace(/^\.\//, ''), { dot: true });

/** electron-builder's minimatchAll: a pattern only changes the verdict it can flip. */
export function matchesPatterns(relative: string, patterns: readonly string[]): boolean {
  let match = false;
  for (const pattern of patterns) {
    const parsed = matcher(pattern);
    if (match !== parsed.negate) continue;
    match = parsed.match(relative);
  }
  return match;
}

/** Where electron-builder looks for a named resource: build resources first, then the project. */
function resolveResource(root: string, buildResources: string, name: string): string | null {
  for (const base of [path.join(root, buildResources), root]) {
    const candidate = path.resolve(base, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** builder-util's getPlatformIconFileName: "icon" becomes icon.icns / icon.ico. */
function platformIconName(value: string, mac: boolean): string {
  if (!value.includes('.')) return `${value}.${mac ? 'icns' : 'ico'}`;
  return value.replace(mac ? '.ico' : '.icns', mac ? '.icns' : '.ico');
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The sizes an .ico holds, from its directory, each checked against the image data it points to. */
export function icoSizes(bytes: Buffer): { sizes: number[]; problems: string[] } {
  const problems: string[] = [];
  if (bytes.length < 6 || bytes.readUInt16LE(0) !== 0 || bytes.readUInt16LE(2) !== 1) return { sizes: [], problems: ['not an ICO file (bad header)'] };
  const count = bytes.readUInt16LE(4);
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    if (entry + 16 > bytes.length) {
      problems.push(`directory entry ${i} is cut off`);
      break;
    }
    const width = bytes[entry]! || 256;
    const height = bytes[entry + 1]! || 256;
    const length = bytes.readUInt32LE(entry + 8);
    const offset = bytes.readUInt32LE(entry + 12);
    if (offset + length > bytes.length || length < 40) {
      problems.push(`image ${i} (${width}x${height}) lies outside the file`);
      continue;
    }
    const data = bytes.subarray(offset, offset + length);
    const png = pngSize(data);
    // A BMP entry's header holds the height of the image and its mask together.
    const actual = png ?? (data.readUInt32LE(0) === 40 ? { width: data.readInt32LE(4), height: data.readInt32LE(8) / 2 } : null);
    if (!actual) problems.push(`image ${i} is neither PNG nor BMP`);
    else if (actual.width !== width || actual.height !== height) problems.push(`image ${i}: directory says ${width}x${height}, data is ${actual.width}x${actual.height}`);
    if (width !== height) problems.push(`image ${i} is not square (${width}x${height})`);
    sizes.push(width);
  }
  return { sizes, problems };
}

/** An .icns's entries: OSType and, for PNG entries, the image size. */
export function icnsEntries(bytes: Buffer): { osType: string; size: number | null }[] {
  return Icns.from(bytes).images.map((image) => ({ osType: image.osType, size: pngSize(Buffer.from(image.image))?.width ?? null }));
}

function listFiles(dir: string, relativeTo: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(full, relativeTo));
    else found.push(path.relative(relativeTo, full).split(path.sep).join('/'));
  }
  return found;
}

export function checkPackaging(options: CheckOptions): PackagingReport {
  const { root } = options;
  const nodeModules = options.nodeModules ?? path.join(root, 'node_modules');
  const problems: string[] = [];
  const problem = (message: string) => problems.push(message);
  const exists = (relative: string) => fs.existsSync(path.join(root, relative));

  const configFile = path.join(root, 'electron-builder.yml');
  if (!fs.existsSync(configFile)) return { problems: ['electron-builder.yml is missing'], config: null };
  const document = parseDocument(fs.readFileSync(configFile, 'utf8'), { uniqueKeys: true });
  if (document.errors.length) return { problems: document.errors.map((e) => `electron-builder.yml: ${e.message}`), config: null };
  const parsed = BuilderConfig.safeParse(document.toJS());
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `electron-builder.yml: ${issue.path.join('.') || '(root)'}: ${issue.message}`), config: null };
  }
  const config = parsed.data;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    name: string;
    productName?: string;
    main: string;
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  // --- what electron-builder needs to start -------------------------------------------------
  const buildResources = config.directories.buildResources;
  if (buildResources !== BUILD_RESOURCES) problem(`directories.buildResources is "${buildResources}", but npm run icons writes to ${BUILD_RESOURCES}/`);
  if (!fs.statSync(path.join(root, buildResources), { throwIfNoEntry: false })?.isDirectory()) problem(`directories.buildResources: ${buildResources}/ does not exist`);
  if (config.npmRebuild) problem('npmRebuild must be false: rebuilding node_modules for Electron breaks the Node build the tests and the CLI use');
  if (config.nodeGypRebuild) problem('nodeGypRebuild must be false');
  if (pkg.dependencies.electron) problem('package.json: electron must be a devDependency (electron-builder refuses it in dependencies)');
  if (!pkg.devDependencies.electron) problem('package.json: electron is not a devDependency; electron-builder reads the version from there');
  for (const native of ['better-sqlite3', 'onnxruntime-node']) {
    if (!pkg.dependencies[native]) problem(`package.json: ${native} must be in dependencies (only production dependencies are packaged)`);
  }

  // --- icons ----------------------------------------------------------------------------------
  const iconRefs: [string, string, string][] = [
    ['mac.icon', config.mac.icon, MAC_ICON],
    ['win.icon', config.win.icon, WINDOWS_ICON],
    ['linux.icon', config.linux.icon, LINUX_ICON_DIR],
  ];
  for (const [key, value, expected] of iconRefs) {
    const resolved = resolveResource(root, buildResources, value);
    if (!resolved) problem(`${key}: "${value}" exists neither in ${buildResources}/ nor in the project`);
    else if (path.relative(root, resolved).split(path.sep).join('/') !== expected) problem(`${key}: "${value}" resolves to ${path.relative(root, resolved)}, but npm run icons writes ${expected}`);
  }
  if (exists(MAC_ICON)) {
    const entries = icnsEntries(fs.readFileSync(path.join(root, MAC_ICON)));
    for (const [osType, size] of ICNS_ENTRIES) {
      const entry = entries.find((e) => e.osType === osType);
      if (!entry) problem(`${MAC_ICON}: no ${osType} entry (${size}x${size})`);
      else if (entry.size !== size) problem(`${MAC_ICON}: ${osType} should hold a ${size}x${size} PNG, holds ${entry.size === null ? 'no PNG' : `${entry.size}x${entry.size}`}`);
    }
  } else problem(`${MAC_ICON} is missing (run npm run icons)`);
  if (exists(WINDOWS_ICON)) {
    const ico = icoSizes(fs.readFileSync(path.join(root, WINDOWS_ICON)));
    for (const message of ico.problems) problem(`${WINDOWS_ICON}: ${message}`);
    for (const size of ICO_SIZES) if (!ico.sizes.includes(size)) problem(`${WINDOWS_ICON}: no ${size}x${size} image`);
  } else problem(`${WINDOWS_ICON} is missing (run npm run icons)`);
  const pngFiles: [string, number][] = [...LINUX_SIZES.map((size): [string, number] => [linuxIconFile(size), size]), [WINDOW_ICON, WINDOW_ICON_SIZE]];
  for (const [file, size] of pngFiles) {
    if (!exists(file)) {
      problem(`${file} is missing (run npm run icons)`);
      continue;
    }
    const actual = pngSize(fs.readFileSync(path.join(root, file)));
    if (!actual) problem(`${file} is not a PNG`);
    else if (actual.width !== size || actual.height !== size) problem(`${file} is ${actual.width}x${actual.height}, not ${size}x${size}`);
  }
  // A stale set (drawing changed, icons not re-rendered) ships the old icon without an error.
  if (!exists(ICON_SOURCE)) problem(`${ICON_SOURCE} (the drawing every icon is rendered from) is missing`);
  else if (!exists(ICON_MANIFEST)) problem(`${ICON_MANIFEST} is missing (run npm run icons)`);
  else {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, ICON_MANIFEST), 'utf8')) as IconManifest;
    if (manifest.source.sha256 !== sourceDigest(fs.readFileSync(path.join(root, ICON_SOURCE)))) problem(`${ICON_SOURCE} changed since the icons were rendered: run npm run icons`);
    for (const [file, recorded] of Object.entries(manifest.files)) {
      if (exists(file) && fileDigest(fs.readFileSync(path.join(root, file))) !== recorded.sha256) problem(`${file} differs from what npm run icons rendered: run npm run icons`);
    }
  }

  // --- file association and the Linux desktop entry -------------------------------------------
  const projectAssociation = config.fileAssociations.find((a) => [a.ext].flat().map((e) => e.replace(/^\./, '')).includes('winnow'));
  if (!projectAssociation) problem('fileAssociations: no entry for .winnow');
  else {
    if (!projectAssociation.mimeType) problem('fileAssociations (.winnow): mimeType is required on Linux (it becomes the desktop entry\'s MimeType and the deb\'s mime package)');
    if (!projectAssociation.name) problem('fileAssociations (.winnow): name is what Explorer and Finder show for the file type');
    if (projectAssociation.icon === undefined) problem('fileAssociations (.winnow): icon is not set; .winnow files would get the default document icon');
    else {
      for (const mac of [true, false]) {
        const file = platformIconName(projectAssociation.icon, mac);
        if (!resolveResource(root, buildResources, file)) problem(`fileAssociations (.winnow): icon "${projectAssociation.icon}" needs ${buildResources}/${file}`);
      }
    }
  }
  const entry = config.linux.desktop.entry ?? {};
  if ('Exec' in entry) problem('linux.desktop.entry.Exec: electron-builder refuses it; set linux.executableName');
  if ('MimeType' in entry) problem('linux.desktop.entry.MimeType: comes from fileAssociations; setting it here drops .winnow');
  // Electron names the window's WM_CLASS after app.name: package.json's productName, else its name.
  const wmClass = pkg.productName ?? pkg.name;
  if (entry.StartupWMClass !== wmClass) problem(`linux.desktop.entry.StartupWMClass is "${entry.StartupWMClass ?? '(unset: electron-builder writes productName)'}", but the window's WM_CLASS is "${wmClass}": the taskbar would not match the window to its icon`);

  // --- the app's own files ----------------------------------------------------------------------
  const appFiles = config.files.filter((p) => !p.includes('node_modules'));
  const builtEntries = [pkg.main, 'out/main/cli.js', 'out/main/job-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/favicon.svg', 'package.json'];
  for (const file of builtEntries) if (!matchesPatterns(file, appFiles)) problem(`files: ${file} would not be packaged`);
  for (const file of [FAVICON_SVG, FAVICON_PNG]) if (!exists(file)) problem(`${file} is missing (run npm run icons): browser mode's favicon`);
  const html = exists('src/renderer/index.html') ? fs.readFileSync(path.join(root, 'src/renderer/index.html'), 'utf8') : '';
  for (const file of [FAVICON_SVG, FAVICON_PNG]) {
    if (!html.includes(`href="/${path.basename(file)}"`)) problem(`src/renderer/index.html does not link ${path.basename(file)} as an icon`);
  }

  // --- native modules and ONNX Runtime, per platform ----------------------------------------------
  const exclusions = (patterns: readonly string[] | undefined) => (patterns ?? []).filter((p) => p.startsWith('!'));
  const ortFiles = listFiles(path.join(nodeModules, 'onnxruntime-node', 'bin'), path.dirname(nodeModules));
  const sqliteFiles = listFiles(path.join(nodeModules, 'better-sqlite3'), path.dirname(nodeModules));
  if (!ortFiles.length) problem(`${path.join(nodeModules, 'onnxruntime-node', 'bin')} has no files: cannot check the ONNX Runtime binaries`);
  if (!sqliteFiles.some((f) => f.startsWith('node_modules/better-sqlite3/lib/'))) problem('node_modules/better-sqlite3/lib is missing: cannot check better-sqlite3');
  for (const platform of PLATFORMS) {
    const section = config[SECTION[platform]];
    const nodeModulePatterns = ['**/*', ...exclusions(config.files), ...exclusions(section.files)];
    const packed = (file: string) => matchesPatterns(file, nodeModulePatterns);
    const unpacked = (file: string) => matchesPatterns(file, config.asarUnpack);
    const ownOrt = ortFiles.filter((f) => f.includes(`/napi-v6/${platform}/`));
    if (ortFiles.length && !ownOrt.length) problem(`onnxruntime-node ships no binaries for ${platform}`);
    for (const file of ownOrt) {
      if (!packed(file)) problem(`${SECTION[platform]}: ${file} is excluded, so ONNX Runtime cannot load on ${platform}`);
      else if (config.asar && !unpacked(file)) problem(`${SECTION[platform]}: ${file} stays inside app.asar, where native code cannot be loaded`);
    }
    for (const file of ortFiles.filter((f) => /\/napi-v6\/[^/]+\//.test(f) && !f.includes(`/napi-v6/${platform}/`))) {
      if (packed(file)) {
        problem(`${SECTION[platform]}: ${file} (another platform's ONNX Runtime) would be packaged`);
        break;
      }
    }
    for (const file of sqliteFiles.filter((f) => f.startsWith('node_modules/better-sqlite3/lib/'))) {
      if (!packed(file)) problem(`${SECTION[platform]}: ${file} is excluded; better-sqlite3 cannot load`);
    }
    for (const file of sqliteFiles.filter((f) => f.endsWith('.node'))) {
      // The Node-ABI build cannot load in Electron; the Electron build comes from native/.
      if (packed(file)) problem(`${SECTION[platform]}: ${file} (better-sqlite3 built for Node, not Electron) would be packaged`);
    }
  }
  if (!config.asar) problem('asar: false ships the sources as loose files; keep app.asar (the fuses check its integrity)');
  if (!matchesPatterns('node_modules/any-module/build/Release/addon.node', config.asarUnpack)) problem('asarUnpack must unpack every .node file ("**/*.node")');

  // --- extra resources ----------------------------------------------------------------------------
  const electronVersion = (pkg.devDependencies.electron ?? '').replace(/^[\^~]/, '');
  const resourcesSet = config.extraResources.find((set) => set.from === 'resources');
  if (!resourcesSet) problem('extraResources: resources/ (the demo data and the window icon) is not shipped');
  else {
    if (resourcesSet.to !== 'resources') problem(`extraResources: resources/ goes to "${resourcesSet.to}", but the shell reads process.resourcesPath/resources`);
    const filter = [resourcesSet.filter ?? '**/*'].flat();
    for (const file of [path.relative(path.join(root, 'resources'), path.join(root, WINDOW_ICON)), 'demo/train.json']) {
      if (!exists(path.join('resources', file))) problem(`resources/${file} is missing`);
      else if (!matchesPatterns(file, filter)) problem(`extraResources: resources/${file} is filtered out`);
    }
  }
  const nativeSet = config.extraResources.find((set) => set.from === 'native');
  if (!nativeSet) problem('extraResources: native/ (better-sqlite3 built for Electron) is not shipped');
  else {
    const expected = `electron-${electronVersion}/better_sqlite3.node`;
    if (nativeSet.to !== 'native') problem(`extraResources: native/ goes to "${nativeSet.to}", but the shell looks in process.resourcesPath/native`);
    if (!matchesPatterns(expected, [nativeSet.filter ?? '**/*'].flat())) problem(`extraResources: the native/ filter does not take ${expected}`);
    // native/ does not exist in a checkout: `npm run dist` prepares it before electron-builder runs.
    if (!/^node scripts\/start\.mjs --prepare-native && /.test(pkg.scripts.dist ?? '')) problem('package.json: the dist script must run `node scripts/start.mjs --prepare-native` before electron-builder (it builds native/)');
  }
  for (const set of config.extraResources) {
    if (set.from !== 'native' && !exists(set.from)) problem(`extraResources: ${set.from}/ does not exist`);
  }

  // --- fuses --------------------------------------------------------------------------------------
  for (const fuse of ['runAsNode', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments'] as const) {
    if (config.electronFuses[fuse] !== false) problem(`electronFuses.${fuse} must be false`);
  }

  return { problems, config };
}
