import { nameFromFileName } from '../../../shared/names';

/**
 * Files as the user named them. Browser mode stores an upload as
 * `<data folder>/uploads/<uuid>-<name>`; messages from the server name that path, which the
 * user never saw. Known uploads are replaced by the name the user chose; any other upload
 * path by the name part the server kept.
 */
const UPLOAD_PATH = /(?:[A-Za-z]:)?[^\s"'“”]*[\\/]uploads[\\/][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-([^\s"'“”,;:)]+)/g;

export function withUserFileNames(text: string, known: ReadonlyMap<string, string> = new Map()): string {
  let out = text;
  // Longest first, so that a path never gets replaced inside a longer one.
  for (const [serverPath, userName] of [...known].sort((a, b) => b[0].length - a[0].length)) out = out.split(serverPath).join(userName);
  return out.replace(UPLOAD_PATH, (_, name: string) => name);
}

/** The last part of a path, whatever the separator. */
export function baseName(filePath: string): string {
  return filePath.split(/[\\/]/).pop() ?? filePath;
}

/**
 * The split name an import offers for a file: its name without the extension ("test.json"
 * gives "test"; the cleaning is the shared one for names), made unique among the splits there are.
 */
export function splitNameFromFile(fileName: string, existing: readonly string[]): string {
  const name = nameFromFileName(baseName(fileName).replace(/\.gz$/i, ''), 'split');
  if (!existing.includes(name)) return name;
  for (let i = 2; ; i++) if (!existing.includes(`${name.slice(0, 60)}-${i}`)) return `${name.slice(0, 60)}-${i}`;
}
