import { describe, expect, it } from 'vitest';
import { cohenKappa, fleissKappa } from '../../../src/main/core/team/kappa';
import { resolveExample } from '../../../src/main/core/team/resolution';
import type { ExampleVotes, StoredVote } from '../../../src/main/core/store/team-state';

/** `n` copies of one pair of ratings. */
const times = (n: number, pair: [string, string]) => Array.from({ length: n }, () => pair);

describe("Cohen's kappa", () => {
  it('matches a two-category table worked out by hand', () => {
    // 50 items, yes/no. Both yes 20, both no 15, a yes b no 5, a no b yes 10.
    // p_o = (20 + 15) / 50 = 0.7. a says yes 25 times, b 30 times.
    // p_e = (25/50)(30/50) + (25/50)(20/50) = 0.30 + 0.20 = 0.5. kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    const result = cohenKappa([...times(20, ['yes', 'yes']), ...times(15, ['no', 'no']), ...times(5, ['yes', 'no']), ...times(10, ['no', 'yes'])]);
    expect(result.items).toBe(50);
    expect(result.observed).toBeCloseTo(0.7, 12);
    expect(result.expected).toBeCloseTo(0.5, 12);
    expect(result.kappa).toBeCloseTo(0.4, 12);
  });

  it('matches a three-outcome case (keep, eliminate, a relabel) worked out by hand', () => {
    // 10 items. Agreements: keep 4, eliminate 2, per:title 1. Disagreements: (keep, eliminate) 2, (per:title, keep) 1.
    // p_o = 7/10. a: keep 6, eliminate 2, per:title 2; b: keep 5, eliminate 4, per:title 1.
    // p_e = (6/10)(5/10) + (2/10)(4/10) + (2/10)(1/10) = 0.30 + 0.08 + 0.02 = 0.40.
    // kappa = (0.7 - 0.4) / (1 - 0.4) = 0.5.
    const pairs = [...times(4, ['keep', 'keep']), ...times(2, ['eliminate', 'eliminate']), ['per:title', 'per:title'] as [string, string], ...times(2, ['keep', 'eliminate']), ['per:title', 'keep'] as [string, string]];
    expect(cohenKappa(pairs).kappa).toBeCloseTo(0.5, 12);
    // Swapping the raters changes nothing.
    expect(cohenKappa(pairs.map(([x, y]) => [y, x] as [string, string])).kappa).toBeCloseTo(0.5, 12);
  });

  it('is 1 for perfect agreement, negative below chance, undefined when both always say the same one thing', () => {
    expect(cohenKappa([['keep', 'keep'], ['eliminate', 'eliminate']]).kappa).toBe(1);
    // Always opposite on two balanced categories: p_o = 0, p_e = 1/2, kappa = -1.
    expect(cohenKappa([['keep', 'eliminate'], ['eliminate', 'keep']]).kappa).toBe(-1);
    // Both keep everything: p_e = 1, so kappa = 0 / 0.
    expect(cohenKappa([['keep', 'keep'], ['keep', 'keep']])).toEqual({ items: 2, observed: 1, expected: 1, kappa: null });
    expect(cohenKappa([]).kappa).toBeNull();
  });
});

describe("Fleiss' kappa", () => {
  it("matches Fleiss' worked example: 10 subjects, 14 raters, 5 categories, kappa = 0.210", () => {
    // The table of the classic example (Fleiss 1971, as reproduced in most textbooks):
    // rows are subjects, columns how many of the 14 raters chose each category.
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    // By hand: P_1 = (14^2 - 14) / (14 x 13) = 1; P_2 = (4 + 36 + 16 + 4 - 14) / 182 = 46/182 = 0.253; ...
    // mean P = 0.378; p_j = (0.143, 0.200, 0.279, 0.150, 0.229); P_e = 0.213; kappa = (0.378 - 0.213) / (1 - 0.213) = 0.210.
    const items = table.map((row) => row.flatMap((count, category) => Array.from({ length: count }, () => `c${category}`)));
    const result = fleissKappa(items);
    expect(result.items).toBe(10);
    expect(result.observed).toBeCloseTo(0.378, 3);
    expect(result.expected).toBeCloseTo(0.213, 3);
    expect(result.kappa).toBeCloseTo(0.21, 3);
  });

  it('matches a three-annotator case worked out by hand', () => {
    // 3 raters, 3 items: (K, K, K), (K, K, E), (E, E, E).
    // P_1 = (9 - 3)/6 = 1; P_2 = (4 + 1 - 3)/6 = 1/3; P_3 = 1. P = (1 + 1/3 + 1)/3 = 7/9.
    // Ratings: K 5, E 4 of 9. P_e = (25 + 16)/81 = 41/81. kappa = (7/9 - 41/81) / (1 - 41/81) = (22/81) / (40/81) = 0.55.
    expect(fleissKappa([['K', 'K', 'K'], ['K', 'K', 'E'], ['E', 'E', 'E']]).kappa).toBeCloseTo(0.55, 12);
    expect(fleissKappa([['K', 'K', 'K']]).kappa).toBeNull();
    // Items with one rating carry no pair: left out.
    expect(fleissKappa([['K'], ['E']]).items).toBe(0);
  });
});

describe('resolving one example', () => {
  const vote = (annotator: string, action: 'keep' | 'eliminate' | 'reannotate', decisionId: number, label: string | null = null): StoredVote => ({ annotator, action, label, decisionId, time: 't', note: null, run: null });
  const example = (votes: StoredVote[], adjudication: StoredVote | null = null): ExampleVotes => ({ exampleId: 1, id: 'x', splitId: 1, position: 0, given: 'no_relation', votes, adjudication });

  it('follows the adjudication, else agreement, else the majority when asked, else leaves it unresolved', () => {
    const split = example([vote('a', 'keep', 1), vote('b', 'eliminate', 2), vote('c', 'eliminate', 3)]);
    expect(resolveExample(split, 'adjudicated')).toEqual({ kind: 'unresolved', decisions: { a: 'keep', b: 'eliminate', c: 'eliminate' } });
    expect(resolveExample(split, 'majority')).toMatchObject({ kind: 'majority', annotators: ['b', 'c'], decision: { decisionId: 3 } });
    expect(resolveExample(split, 'unanimous')).toMatchObject({ kind: 'unresolved' });
    const tie = example([vote('a', 'keep', 1), vote('b', 'reannotate', 2, 'x:y')]);
    expect(resolveExample(tie, 'majority')).toEqual({ kind: 'unresolved', decisions: { a: 'keep', b: 'x:y' } });
    const settled = example(tie.votes, vote('judge', 'eliminate', 9));
    expect(resolveExample(settled, 'adjudicated')).toMatchObject({ kind: 'adjudication', annotators: ['judge'] });
    expect(resolveExample(settled, 'majority')).toMatchObject({ kind: 'adjudication' });
    expect(resolveExample(settled, 'unanimous')).toMatchObject({ kind: 'unresolved' });
    // Relabels to different labels disagree; to the same label they agree.
    expect(resolveExample(example([vote('a', 'reannotate', 1, 'p'), vote('b', 'reannotate', 2, 'q')]), 'adjudicated')).toMatchObject({ kind: 'unresolved' });
    expect(resolveExample(example([vote('a', 'reannotate', 1, 'p'), vote('b', 'reannotate', 2, 'p')]), 'unanimous')).toMatchObject({ kind: 'unanimous', decision: { decisionId: 2 } });
    // One annotator: the decision, whatever the policy.
    for (const policy of ['adjudicated', 'majority', 'unanimous'] as const) expect(resolveExample(example([vote('a', 'eliminate', 4)]), policy)).toMatchObject({ kind: 'single' });
  });
});
