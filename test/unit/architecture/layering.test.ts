import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = path.resolve('src/main/core');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push((match[1] ?? match[2])!);
  }
  return found;
}

/** The core folder a relative import of `file` lands in, or null outside the core. */
function coreFolderOf(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(CORE, path.resolve(path.dirname(file), specifier));
  return target.startsWith('..') ? null : target.split(path.sep)[0]!;
}

describe('core layering', () => {
  it('keeps io (file formats) free of the store, the app and every layer above', () => {
    const allowed = new Set(['io', 'errors', 'random']);
    const offending = sources(path.join(CORE, 'io')).flatMap((file) =>
      specifiers(file)
        .filter((spec) => {
          const folder = coreFolderOf(file, spec);
          return folder !== null && !allowed.has(folder);
        })
        .map((spec) => `${path.relative(CORE, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('holds no demo generator and never imports electron or the tools', () => {
    expect(fs.existsSync(path.join(CORE, 'demo'))).toBe(false);
    const offending = sources(CORE).flatMap((file) =>
      specifiers(file)
        .filter((spec) => spec === 'electron' || spec.includes('/tools/'))
        .map((spec) => `${path.relative(CORE, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('reads the imports it checks (a sanity check of the scanner)', () => {
    const specs = specifiers(path.join(CORE, 'store', 'import-split.ts'));
    expect(specs).toContain('../io/record-source');
    expect(coreFolderOf(path.join(CORE, 'store', 'import-split.ts'), '../io/record-source')).toBe('io');
  });
});
