/** TACRED's negative label; a project may choose another (SemEval `Other`, NYT-10 `NA`). */
export const DEFAULT_NEGATIVE_LABEL = 'no_relation';

/**
 * Negative labels of the datasets Winnow is for (TACRED, SemEval-2010 Task 8, NYT-10). At the
 * first import, when the file has no `no_relation` but exactly one of these, that one is taken.
 */
export const KNOWN_NEGATIVE_LABELS = ['no_relation', 'Other', 'NA'] as const;
