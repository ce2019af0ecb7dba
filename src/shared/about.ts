import { z } from 'zod';

/**
 * What Winnow is and what it runs on: the About dialog, `winnow --version --json` and bug
 * reports all show this one record.
 */
export const AboutInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** The git commit the build was made from, or "unknown" outside a git checkout. */
  commit: z.string(),
  runtime: z.object({
    /** Null outside Electron (CLI, browser mode). */
    electron: z.string().nullable(),
    chrome: z.string().nullable(),
    node: z.string(),
    platform: z.string(),
    arch: z.string(),
  }),
  onnxRuntime: z.object({
    version: z.string(),
    /** Execution providers this installation can run (bundled ones and installed extras). */
    available: z.array(z.string()),
    /** What a ranking tries, best first. */
    order: z.array(z.string()),
    /** Providers a ranking leaves out here, and why. */
    notTried: z.array(z.object({ provider: z.string(), reason: z.string() })),
    /** The provider stored with the open project's latest run; null without a project or a run. */
    lastUsed: z.object({ provider: z.string(), run: z.number().int(), at: z.string() }).nullable(),
  }),
  /** The project file schema this build writes (PRAGMA user_version). */
  schemaVersion: z.number().int(),
  /** The open project, with the schema version of its file. */
  project: z.object({ path: z.string(), schemaVersion: z.number().int() }).nullable(),
});
export type AboutInfo = z.infer<typeof AboutInfo>;
