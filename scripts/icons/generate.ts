/**
 * `npm run icons`: renders resources/icon.svg to every icon file in icon-set.ts. resvg
 * (prebuilt per platform inside its npm packages) draws each size from the vector itself,
 * rather than scaling one bitmap down, so 16 px stays crisp; png-to-ico and @fiahfy/icns
 * only pack those PNGs. The outputs are committed: packaging needs no extra step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Icns, IcnsImage } from '@fiahfy/icns';
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';
import {
  FAVICON_PNG,
  FAVICON_PNG_SIZE,
  FAVICON_SVG,
  ICNS_ENTRIES,
  ICO_SIZES,
  ICON_MANIFEST,
  ICON_SOURCE,
  LINUX_SIZES,
  MAC_ICON,
  WINDOW_ICON,
  WINDOW_ICON_SIZE,
  WINDOWS_ICON,
  fileDigest,
  linuxIconFile,
  sourceDigest,
  type IconManifest,
} from './icon-set';

const root = path.resolve(import.meta.dirname, '../..');
const svg = fs.readFileSync(path.join(root, ICON_SOURCE));

const rendered = new Map<number, Buffer>();
function png(size: number): Buffer {
  let bytes = rendered.get(size);
  if (!bytes) {
    const image = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render();
    if (image.width !== size || image.height !== size) throw new Error(`${ICON_SOURCE}: rendered ${image.width}x${image.height} for ${size} px; the drawing must be square`);
    bytes = image.asPng();
    rendered.set(size, bytes);
  }
  return bytes;
}

const outputs = new Map<string, { bytes: Buffer; width: number; height: number }>();
const add = (file: string, bytes: Buffer, size: number) => outputs.set(file, { bytes, width: size, height: size });

for (const size of LINUX_SIZES) add(linuxIconFile(size), png(size), size);
add(WINDOW_ICON, png(WINDOW_ICON_SIZE), WINDOW_ICON_SIZE);
add(FAVICON_PNG, png(FAVICON_PNG_SIZE), FAVICON_PNG_SIZE);
const drawing = new Resvg(svg);
add(FAVICON_SVG, svg, drawing.width);
add(WINDOWS_ICON, await pngToIco(ICO_SIZES.map((size) => png(size))), Math.max(...ICO_SIZES));
const icns = new Icns();
for (const [osType, size] of ICNS_ENTRIES) icns.append(IcnsImage.fromPNG(png(size), osType));
add(MAC_ICON, icns.data, Math.max(...ICNS_ENTRIES.map(([, size]) => size)));

const manifest: IconManifest = { source: { path: ICON_SOURCE, sha256: sourceDigest(svg) }, files: {} };
for (const [file, { bytes, width, height }] of outputs) {
  const target = path.join(root, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Rename over the old file: an interrupted run never leaves a truncated icon behind.
  fs.writeFileSync(`${target}.tmp`, bytes);
  fs.renameSync(`${target}.tmp`, target);
  manifest.files[file] = { sha256: fileDigest(bytes), width, height };
  console.log(`${file.padEnd(36)} ${String(bytes.length).padStart(8)} bytes`);
}
fs.writeFileSync(path.join(root, ICON_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${ICON_MANIFEST}: ${outputs.size} files from ${ICON_SOURCE}`);
