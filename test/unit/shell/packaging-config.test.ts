import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pngToIco from 'png-to-ico';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ICNS_ENTRIES, ICO_SIZES, LINUX_SIZES, MAC_ICON, WINDOW_ICON, WINDOWS_ICON, linuxIconFile } from '../../../scripts/icons/icon-set';
import { checkPackaging, icnsEntries, icoSizes, matchesPatterns, pngSize } from '../../../scripts/packaging/check-packaging';
import { sqliteBindingCandidates } from '../../../src/main/shell/native-binding';
import { PROJECT_EXTENSION } from '../../../src/main/shell/single-instance';

/**
 * electron-builder needs the network, so `npm run dist` cannot run here; this checks its
 * configuration offline instead (scripts/packaging/check-packaging.ts), and shows on copies of
 * the project that removing an icon or a referenced file, or a typical config mistake, fails.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const nodeModules = path.join(root, 'node_modules');
const read = (file: string) => fs.readFileSync(path.join(root, file));
type Yaml = Record<string, any>;

const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The files the check reads, copied, so that a test can break one. */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-packaging-'));
  copies.push(dir);
  for (const item of ['electron-builder.yml', 'package.json', 'build', 'resources', 'src/renderer/index.html', 'src/renderer/public']) {
    fs.cpSync(path.join(root, item), path.join(dir, item), { recursive: true });
  }
  return dir;
}

function editConfig(dir: string, change: (config: Yaml) => void): void {
  const file = path.join(dir, 'electron-builder.yml');
  const config = parse(fs.readFileSync(file, 'utf8')) as Yaml;
  change(config);
  fs.writeFileSync(file, stringify(config));
}

const problemsOf = (dir: string) => checkPackaging({ root: dir, nodeModules }).problems;

describe('electron-builder configuration, checked offline', () => {
  it('passes for the committed project: every referenced file exists, icons at every size, natives packed and unpacked', () => {
    const report = checkPackaging({ root });
    expect(report.problems).toEqual([]);
    expect(report.config).toMatchObject({ appId: 'org.winnow.studio', productName: 'Winnow' });
  });

  it('keeps the settings whose loss gives a package that installs but cannot open a project', () => {
    const config = parse(read('electron-builder.yml').toString('utf8')) as Yaml;
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/onnxruntime-node/bin/**']));
    expect(config.extraResources).toEqual(
      expect.arrayContaining([
        { from: 'resources', to: 'resources', filter: ['**/*'] },
        { from: 'native', to: 'native', filter: ['electron-*/better_sqlite3.node'] },
      ]),
    );
    const [packaged] = sqliteBindingCandidates({ electronVersion: '1.2.3', isPackaged: true, resourcesPath: '/R', appRoot: '/R/app.asar' });
    expect(path.relative('/R', packaged!).split(path.sep)).toEqual(['native', 'electron-1.2.3', 'better_sqlite3.node']);
    expect([config.linux.target, config.win.target, config.mac.target]).toEqual([['AppImage', 'deb'], ['nsis'], ['dmg']]);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });

  it('associates .winnow (the extension the shell opens) with a mime type and the icon, and the desktop entry matches the window', () => {
    const config = parse(read('electron-builder.yml').toString('utf8')) as Yaml;
    const association = (config.fileAssociations as Yaml[]).find((a) => `.${a.ext}` === PROJECT_EXTENSION)!;
    expect(association).toMatchObject({ mimeType: 'application/x-winnow-project', icon: 'icon', role: 'Editor' });
    const pkg = JSON.parse(read('package.json').toString('utf8')) as { name: string };
    expect(config.linux).toMatchObject({ executableName: 'winnow', icon: 'icons', desktop: { entry: { StartupWMClass: pkg.name } } });
    expect([config.mac.icon, config.win.icon]).toEqual(['icon.icns', 'icon.ico']);
  });

  it('reads the icons it checks: PNG sizes from IHDR, the .ico directory, the .icns entries', () => {
    for (const size of LINUX_SIZES) expect(pngSize(read(linuxIconFile(size)))).toEqual({ width: size, height: size });
    expect(pngSize(read(WINDOW_ICON))).toEqual({ width: 512, height: 512 });
    expect(icoSizes(read(WINDOWS_ICON))).toEqual({ sizes: [...ICO_SIZES], problems: [] });
    expect(icnsEntries(read(MAC_ICON))).toEqual(ICNS_ENTRIES.map(([osType, size]) => ({ osType, size })));
    expect(pngSize(Buffer.from('not a png'))).toBeNull();
  });

  it('selects files like electron-builder: the last matching pattern decides', () => {
    const patterns = ['**/*', '!node_modules/onnxruntime-node/bin/napi-v6/{darwin,win32}/**'];
    expect(matchesPatterns('node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1', patterns)).toBe(true);
    expect(matchesPatterns('node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime.dll', patterns)).toBe(false);
    expect(matchesPatterns('node_modules/.bin/x', ['**/*'])).toBe(true);
    expect(matchesPatterns('out/main/index.js', ['out/**/*', '!**/*.map'])).toBe(true);
    expect(matchesPatterns('out/main/index.js.map', ['out/**/*', '!**/*.map'])).toBe(false);
  });
});

describe('a broken packaging configuration fails here', () => {
  it('fails when a Linux icon size is removed', () => {
    const dir = projectCopy();
    fs.rmSync(path.join(dir, linuxIconFile(48)));
    expect(problemsOf(dir)).toContain(`${linuxIconFile(48)} is missing (run npm run icons)`);
  });

  it('fails when the macOS or Windows icon is removed', () => {
    const dir = projectCopy();
    fs.rmSync(path.join(dir, MAC_ICON));
    fs.rmSync(path.join(dir, WINDOWS_ICON));
    const problems = problemsOf(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        'mac.icon: "icon.icns" exists neither in build/ nor in the project',
        'win.icon: "icon.ico" exists neither in build/ nor in the project',
        `${MAC_ICON} is missing (run npm run icons)`,
        'fileAssociations (.winnow): icon "icon" needs build/icon.ico',
      ]),
    );
  });

  it('fails when the .ico lacks a size or an icon is not the size its name says', async () => {
    const dir = projectCopy();
    fs.writeFileSync(path.join(dir, WINDOWS_ICON), await pngToIco([read(linuxIconFile(16)), read(linuxIconFile(32))]));
    fs.copyFileSync(path.join(root, linuxIconFile(64)), path.join(dir, linuxIconFile(128)));
    const problems = problemsOf(dir);
    expect(problems).toContain(`${WINDOWS_ICON}: no 48x48 image`);
    expect(problems).toContain(`${linuxIconFile(128)} is 64x64, not 128x128`);
  });

  it('fails when the drawing changed but the icons were not rendered again', () => {
    const dir = projectCopy();
    fs.appendFileSync(path.join(dir, 'resources/icon.svg'), '<!-- edited -->\n');
    expect(problemsOf(dir)).toContain('resources/icon.svg changed since the icons were rendered: run npm run icons');
  });

  it('fails when the window icon or the demo data is missing from resources/', () => {
    const dir = projectCopy();
    fs.rmSync(path.join(dir, WINDOW_ICON));
    fs.rmSync(path.join(dir, 'resources/demo/train.json'));
    expect(problemsOf(dir)).toEqual(expect.arrayContaining([`${WINDOW_ICON} is missing (run npm run icons)`, 'resources/icon.png is missing', 'resources/demo/train.json is missing']));
  });

  it('fails when buildResources points at a folder that does not exist', () => {
    const dir = projectCopy();
    editConfig(dir, (config) => (config.directories.buildResources = 'assets'));
    expect(problemsOf(dir)).toEqual(expect.arrayContaining(['directories.buildResources: assets/ does not exist']));
  });

  it('fails on desktop entry keys placed the electron-builder 24 way (rejected by 26)', () => {
    const dir = projectCopy();
    editConfig(dir, (config) => (config.linux.desktop = { StartupWMClass: 'winnow' }));
    expect(problemsOf(dir).join('\n')).toMatch(/^electron-builder\.yml: linux\.desktop: Unrecognized key/m);
  });

  it('fails when the app id or product name is not set', () => {
    const dir = projectCopy();
    editConfig(dir, (config) => {
      delete config.appId;
      config.productName = ' ';
    });
    const problems = problemsOf(dir);
    expect(problems.some((p) => p.startsWith('electron-builder.yml: appId:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('electron-builder.yml: productName:'))).toBe(true);
  });

  it('fails when ONNX Runtime binaries are excluded or left inside app.asar', () => {
    const dir = projectCopy();
    editConfig(dir, (config) => {
      config.asarUnpack = ['**/*.node'];
      config.win.files = ['!node_modules/onnxruntime-node/bin/**'];
    });
    const problems = problemsOf(dir);
    expect(problems).toContain('linux: node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1 stays inside app.asar, where native code cannot be loaded');
    expect(problems).toContain('win: node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime_binding.node is excluded, so ONNX Runtime cannot load on win32');
  });

  it('fails when another platform\'s binaries or the Node build of better-sqlite3 would ship', () => {
    const dir = projectCopy();
    editConfig(dir, (config) => {
      config.mac.files = [];
      config.files = (config.files as string[]).filter((p) => p !== '!node_modules/better-sqlite3/{build,deps,src}/**');
    });
    const problems = problemsOf(dir);
    expect(problems.some((p) => /^mac: node_modules\/onnxruntime-node\/bin\/napi-v6\/(linux|win32)\/.* \(another platform's ONNX Runtime\) would be packaged$/.test(p))).toBe(true);
    expect(problems).toContain('linux: node_modules/better-sqlite3/build/Release/better_sqlite3.node (better-sqlite3 built for Node, not Electron) would be packaged');
  });

  it('fails when the built app or the Electron build of better-sqlite3 would not be packaged', () => {
    const dir = projectCopy();
    editConfig(dir, (config) => {
      config.files = ['out/renderer/**/*', 'package.json'];
      config.extraResources = (config.extraResources as Yaml[]).filter((set) => set.from !== 'native');
    });
    const problems = problemsOf(dir);
    expect(problems).toContain('files: out/main/index.js would not be packaged');
    expect(problems).toContain('extraResources: native/ (better-sqlite3 built for Electron) is not shipped');
  });

  it('fails when .winnow loses its association, mime type or icon', () => {
    const dir = projectCopy();
    editConfig(dir, (config) => {
      delete config.fileAssociations[0].mimeType;
      delete config.fileAssociations[0].icon;
    });
    const problems = problemsOf(dir);
    expect(problems.some((p) => p.startsWith('fileAssociations (.winnow): mimeType is required on Linux'))).toBe(true);
    expect(problems.some((p) => p.startsWith('fileAssociations (.winnow): icon is not set'))).toBe(true);
    editConfig(dir, (config) => (config.fileAssociations[0].ext = 'wnw'));
    expect(problemsOf(dir)).toContain('fileAssociations: no entry for .winnow');
  });

  it('fails when the favicon is removed from the renderer', () => {
    const dir = projectCopy();
    fs.rmSync(path.join(dir, 'src/renderer/public/favicon.svg'));
    expect(problemsOf(dir)).toContain("src/renderer/public/favicon.svg is missing (run npm run icons): browser mode's favicon");
  });
});
