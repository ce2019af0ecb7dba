import crypto from 'node:crypto';
import path from 'node:path';
import type { FileChoice, FileToken } from '../../../shared/files';
import { WinnowError } from '../../../shared/errors';

/** What a grant lets the holder of its token do with the path behind it. */
export type Capability = 'read-file' | 'read-folder' | 'write-file' | 'project';

interface Grant {
  path: string;
  capability: Capability;
  name: string;
}

const WHAT: Record<Capability, string> = {
  'read-file': 'a file chosen to read',
  'read-folder': 'a folder chosen to read',
  'write-file': 'a file chosen to write',
  project: 'a project',
};

/**
 * Paths the user chose in this session (a dialog, an upload, the recent list), each behind an
 * unguessable token. The renderer only ever holds tokens; main turns a token back into the
 * path it was granted for, with the capability it was granted, or refuses. A page that names a
 * path itself, or a token of another kind, gets nothing.
 */
export class CapabilityRegistry {
  private readonly grants = new Map<FileToken, Grant>();
  private readonly byPath = new Map<string, FileToken>();

  grant(filePath: string, capability: Capability, name = path.basename(filePath)): FileChoice {
    const resolved = path.resolve(filePath);
    const key = `${capability}\0${resolved}`;
    const existing = this.byPath.get(key);
    if (existing) return { token: existing, name: this.grants.get(existing)!.name };
    const token = crypto.randomBytes(18).toString('base64url');
    this.grants.set(token, { path: resolved, capability, name });
    this.byPath.set(key, token);
    return { token, name };
  }

  /** The path behind a token of the given capability; FORBIDDEN for anything else. */
  resolve(token: FileToken, capability: Capability): string {
    return this.lookup(token, capability).path;
  }

  /** The name the user knows the file by (an upload's original name, the file's own name). */
  nameOf(token: FileToken, capability: Capability): string {
    return this.lookup(token, capability).name;
  }

  private lookup(token: FileToken, capability: Capability): Grant {
    const grant = this.grants.get(token);
    if (!grant || grant.capability !== capability) {
      throw new WinnowError('FORBIDDEN', `Expected ${WHAT[capability]} from a dialog, an upload or the recent list of this session; this token names none`);
    }
    return grant;
  }

  revokePath(filePath: string): void {
    const resolved = path.resolve(filePath);
    for (const [token, grant] of this.grants) {
      if (grant.path === resolved) {
        this.grants.delete(token);
        this.byPath.delete(`${grant.capability}\0${resolved}`);
      }
    }
  }
}
