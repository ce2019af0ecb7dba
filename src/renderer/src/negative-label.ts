import { createContext, useContext } from 'react';
import { DEFAULT_NEGATIVE_LABEL } from '../../shared/labels';

/** The open project's negative label (TACRED `no_relation`, SemEval `Other`, NYT-10 `NA`). */
export const NegativeLabelContext = createContext(DEFAULT_NEGATIVE_LABEL);

export function useNegativeLabel(): string {
  return useContext(NegativeLabelContext);
}
