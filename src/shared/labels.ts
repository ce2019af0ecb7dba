/** TACRED's negative label; a project may choose another (SemEval `Other`, NYT-10 `NA`). */
export const DEFAULT_NEGATIVE_LABEL = 'no_relation';
