import { describe, expect, it } from 'vitest';
import { tacredScore } from '../../../src/main/core/metrics/tacred-score';

const N = 'no_relation';

describe("TACRED's official scorer", () => {
  it('counts a negative guess never as guessed and a negative gold never as gold', () => {
    // rows: (gold, guess)
    const gold = ['a', 'a', 'b', N, N, 'b', N];
    const guess = ['a', N, 'a', 'b', N, 'b', N];
    const s = tacredScore(gold, guess, N);
    // guessed: a (row 0), a (row 2), b (row 3), b (row 5) = 4; gold: a, a, b, b = 4; correct: rows 0 and 5 = 2.
    expect(s).toMatchObject({ guessed: 4, gold: 4, correct: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
    const a = s.perLabel.find((l) => l.label === 'a')!;
    const b = s.perLabel.find((l) => l.label === 'b')!;
    expect(a).toMatchObject({ gold: 2, guessed: 2, correct: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(b).toMatchObject({ gold: 2, guessed: 2, correct: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(s.perLabel.map((l) => l.label)).toEqual(['a', 'b']);
    expect(s.macroF1).toBe(0.5);
  });

  it('gives precision 1, recall 0 and F1 0 when every prediction is negative', () => {
    const s = tacredScore(['a', 'b', N, 'a'], [N, N, N, N], N);
    expect(s).toMatchObject({ guessed: 0, gold: 3, correct: 0, precision: 1, recall: 0, f1: 0, macroF1: 0 });
    // Per label too: nothing guessed is precision 1 (score.py's per-relation rule).
    expect(s.perLabel).toEqual([
      { label: 'a', precision: 1, recall: 0, f1: 0, gold: 2, guessed: 0, correct: 0 },
      { label: 'b', precision: 1, recall: 0, f1: 0, gold: 1, guessed: 0, correct: 0 },
    ]);
  });

  it('gives recall 0 when no gold is positive, whatever was guessed', () => {
    const s = tacredScore([N, N, N], ['a', N, N], N);
    expect(s).toMatchObject({ guessed: 1, gold: 0, correct: 0, precision: 0, recall: 0, f1: 0 });
    expect(tacredScore([N, N], [N, N], N)).toMatchObject({ precision: 1, recall: 0, f1: 0, macroF1: 0, perLabel: [] });
  });

  it('computes the harmonic mean and the unweighted macro average', () => {
    // a: 3 gold, 2 guessed, 2 correct -> P 1, R 2/3, F1 0.8; c: 1 gold, 2 guessed (one a wrong), 1 correct -> P 1/2, R 1, F1 2/3.
    const gold = ['a', 'a', 'a', 'c', N];
    const guess = ['a', 'a', 'c', 'c', N];
    const s = tacredScore(gold, guess, N);
    expect(s.correct).toBe(3);
    expect(s.guessed).toBe(4);
    expect(s.gold).toBe(4);
    expect(s.precision).toBe(0.75);
    expect(s.recall).toBe(0.75);
    expect(s.f1).toBeCloseTo(0.75, 12);
    expect(s.perLabel.find((l) => l.label === 'a')!.f1).toBeCloseTo(0.8, 12);
    expect(s.perLabel.find((l) => l.label === 'c')!.f1).toBeCloseTo(2 / 3, 12);
    expect(s.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 12);
  });

  it('uses the negative label it is given (SemEval: Other)', () => {
    const s = tacredScore(['Other', 'x', 'no_relation'], ['Other', 'x', 'no_relation'], 'Other');
    // "no_relation" is an ordinary label here: guessed and gold, and correct.
    expect(s).toMatchObject({ guessed: 2, gold: 2, correct: 2, precision: 1, recall: 1, f1: 1 });
  });

  it('refuses arrays of different lengths', () => {
    expect(() => tacredScore(['a'], [], N)).toThrow(/1 gold labels but 0 predictions/);
  });
});
