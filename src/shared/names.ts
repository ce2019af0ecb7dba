import { z } from 'zod';

/**
 * One rule for the names a user gives things that end up in file names and SQL (splits,
 * reference sets, projects): letters, digits, `_ . -`, not starting with a dot, at most 64.
 * Nothing with a separator or `..` can pass, so no name escapes its folder.
 */
const NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/;

export function nameSchema(what: string) {
  return z
    .string()
    .regex(NAME, `${what} names use letters, digits, _ . - (at most 64, not starting with a dot)`)
    .refine((name) => !name.includes('..'), `${what} names cannot contain ".."`);
}

export const SplitName = nameSchema('split');
export const ReferenceName = nameSchema('reference');
export const ProjectName = nameSchema('project');

/** A suggestion made from a file name ("TACRED test.json" -> "TACRED_test"). */
export function nameFromFileName(fileName: string, fallback: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const cleaned = base.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/\.{2,}/g, '.').replace(/^[._]+/, '').slice(0, 64);
  return SplitName.safeParse(cleaned).success ? cleaned : fallback;
}
