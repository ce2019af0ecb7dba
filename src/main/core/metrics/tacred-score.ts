/**
 * TACRED's official scorer (`score.py` of Zhang et al. 2017, the one TACRev, Re-TACRED and the
 * Parekh et al. paper report with), reproduced exactly, plus macro-F1 and per-label scores.
 *
 * Per example, with N the negative label:
 * - gold N, guess N: counts nowhere;
 * - gold N, guess g: a guess of g (a false positive);
 * - gold y, guess N: a gold y (a miss);
 * - gold y, guess g: a guess of g and a gold y, correct when g = y.
 * So a negative guess is never counted as guessed and a negative gold never as gold.
 * Micro precision = correct / guessed (1 when nothing was guessed), recall = correct / gold
 * (0 when there is no gold), F1 = 2PR / (P + R) (0 when both are 0). Per label the same with that
 * label's counts. Macro-F1 (not in score.py) is the unweighted mean of the per-label F1 over the
 * positive labels that occur as gold or as a guess.
 */
import type { LabelScore } from '../../../shared/quality';

export type { LabelScore };

export interface TacredScore {
  precision: number;
  recall: number;
  f1: number;
  macroF1: number;
  gold: number;
  guessed: number;
  correct: number;
  /** Positive labels occurring as gold or guess, by name. */
  perLabel: LabelScore[];
}

function prf(correct: number, guessed: number, gold: number): { precision: number; recall: number; f1: number } {
  const precision = guessed > 0 ? correct / guessed : 1;
  const recall = gold > 0 ? correct / gold : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Scores `predicted` against `gold` (parallel arrays of label names). */
export function tacredScore(gold: readonly string[], predicted: readonly string[], negativeLabel: string): TacredScore {
  if (gold.length !== predicted.length) throw new Error(`tacredScore: ${gold.length} gold labels but ${predicted.length} predictions`);
  const correctBy = new Map<string, number>();
  const guessedBy = new Map<string, number>();
  const goldBy = new Map<string, number>();
  const bump = (counts: Map<string, number>, label: string) => counts.set(label, (counts.get(label) ?? 0) + 1);
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    const p = predicted[i]!;
    if (p !== negativeLabel) bump(guessedBy, p);
    if (g !== negativeLabel) bump(goldBy, g);
    if (g !== negativeLabel && p !== negativeLabel && g === p) bump(correctBy, p);
  }
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  const correct = sum(correctBy);
  const guessed = sum(guessedBy);
  const goldCount = sum(goldBy);
  const labels = [...new Set([...goldBy.keys(), ...guessedBy.keys()])].sort();
  const perLabel = labels.map((label): LabelScore => {
    const c = correctBy.get(label) ?? 0;
    const gu = guessedBy.get(label) ?? 0;
    const go = goldBy.get(label) ?? 0;
    return { label, ...prf(c, gu, go), gold: go, guessed: gu, correct: c };
  });
  const macroF1 = perLabel.length ? perLabel.reduce((a, s) => a + s.f1, 0) / perLabel.length : 0;
  return { ...prf(correct, guessed, goldCount), macroF1, gold: goldCount, guessed, correct, perLabel };
}
