import { z } from 'zod';

/**
 * A file or folder the user chose, as the renderer may name it: an opaque token that the
 * platform handed out (an Electron dialog's choice, a recent project, a browser-mode upload).
 * Main resolves it to a path; a path typed by a page is never trusted.
 */
export const FileToken = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'a file token from a dialog or an upload');
export type FileToken = z.infer<typeof FileToken>;

/** What a dialog or an upload answers: the token and the name to show (never a full path to trust). */
export const FileChoice = z.object({ token: FileToken, name: z.string() });
export type FileChoice = z.infer<typeof FileChoice>;

/** One output of a job the user can fetch (browser mode) or find (desktop). */
export const OutputFile = z.object({
  role: z.string(),
  name: z.string(),
  /** Where it was written, for display. */
  path: z.string(),
  /** Browser mode: a same-origin URL that downloads it. */
  downloadUrl: z.string().nullable(),
});
export type OutputFile = z.infer<typeof OutputFile>;
