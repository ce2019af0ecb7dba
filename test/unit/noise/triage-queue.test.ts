import { describe, expect, it } from 'vitest';
import { type QueueEntry, mergeFlags } from '../../../src/main/core/noise/triage-queue';
import { STRATEGY_NAMES, type StrategyName } from '../../../src/shared/strategies';
import type { Flag } from '../../../src/main/core/noise/strategy-types';
import { mulberry32 } from '../../helpers/seeded';

function flag(strategy: StrategyName, index: number, score: number, suggested: number): Flag {
  return { index, strategy, score, suggested, evidence: { neighbours: [] } };
}

describe('mergeFlags, hand-checked', () => {
  it('unions the strategies and orders by agreement, then top score, then index', () => {
    // 7: is + es + knn (3 strategies, top .6); 3: is + knn (2, top .9); 5: es + knn (2, top .9);
    // 1: cl only (1, top .95). Order: 7 | 3, 5 (tie on .9 -> lower index) | 1.
    const queue = mergeFlags([
      [flag('is', 7, 0.6, 1), flag('is', 3, 0.9, 2)],
      [flag('es', 7, 0.5, 1), flag('es', 5, 0.9, 2)],
      [flag('knn', 7, 0.55, 3), flag('knn', 3, 0.7, 2), flag('knn', 5, 0.6, 1)],
      [flag('cl', 1, 0.95, 4)],
    ]);
    expect(queue.map((e) => [e.index, e.agreement, e.topScore])).toEqual([
      [7, 3, 0.6],
      [3, 2, 0.9],
      [5, 2, 0.9],
      [1, 1, 0.95],
    ]);
    expect(queue[0]).toEqual({
      index: 7,
      strategies: { is: { score: 0.6, suggested: 1 }, es: { score: 0.5, suggested: 1 }, knn: { score: 0.55, suggested: 3 } },
      agreement: 3,
      topScore: 0.6,
      suggested: 1, // two strategies say 1, one says 3
    } satisfies QueueEntry);
  });

  it("orders by the scores on noiseScore's scale: CL's own scale neither lifts a row nor mixes with them", () => {
    // 2: is .3 + cl .99; 6: is .5 + knn .4 (both agreement 2): 6 first, on .5 against .3.
    // 8: cl alone .99; 9: knn alone .2 (agreement 1): 9 first, CL's scale comes after.
    const queue = mergeFlags([
      [flag('is', 2, 0.3, 1), flag('is', 6, 0.5, 1)],
      [flag('cl', 2, 0.99, 1), flag('cl', 8, 0.99, 1)],
      [flag('knn', 6, 0.4, 1), flag('knn', 9, 0.2, 1)],
    ]);
    expect(queue.map((e) => [e.index, e.agreement, e.topScore])).toEqual([
      [6, 2, 0.5],
      [2, 2, 0.3],
      [9, 1, 0.2],
      [8, 1, 0.99],
    ]);
  });

  it('settles a split suggestion by the higher score, then the smaller label', () => {
    // 0: es says 2 (.4), knn says 1 (.8)                -> 1 vote each, knn scores higher -> 1
    // 1: is and es say 3 (.5, .2), knn and cl say 2 (.5, .1) -> 2 votes each, best .5 each -> 2
    const queue = mergeFlags([
      [flag('es', 0, 0.4, 2), flag('is', 1, 0.5, 3), flag('es', 1, 0.2, 3)],
      [flag('knn', 0, 0.8, 1), flag('knn', 1, 0.5, 2), flag('cl', 1, 0.1, 2)],
    ]);
    expect(queue.map((e) => [e.index, e.suggested])).toEqual([
      [1, 2],
      [0, 1],
    ]);
  });

  it('counts a strategy once and keeps its higher-scored verdict', () => {
    const queue = mergeFlags([[flag('knn', 4, 0.6, 1)], [flag('knn', 4, 0.7, 2), flag('is', 4, 0.3, 1)]]);
    expect(queue).toEqual([
      {
        index: 4,
        strategies: { knn: { score: 0.7, suggested: 2 }, is: { score: 0.3, suggested: 1 } },
        agreement: 2,
        topScore: 0.7,
        suggested: 2, // 1 vote each; knn's .7 beats is's .3
      },
    ]);
  });

  it('returns an empty queue for no flags', () => {
    expect(mergeFlags([])).toEqual([]);
    expect(mergeFlags([[], []])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized cross-check against a direct reading of the definition.

function referenceQueue(lists: Flag[][]): QueueEntry[] {
  const indices = [...new Set(lists.flat().map((f) => f.index))];
  const entries = indices.map((index): QueueEntry => {
    const strategies: QueueEntry['strategies'] = {};
    for (const name of STRATEGY_NAMES) {
      const mine = lists.flat().filter((f) => f.index === index && f.strategy === name);
      if (mine.length === 0) continue;
      const best = mine.reduce((p, q) => (q.score > p.score ? q : p));
      strategies[name] = { score: best.score, suggested: best.suggested };
    }
    const verdicts = Object.values(strategies);
    const labels = [...new Set(verdicts.map((v) => v.suggested))].map((label) => ({
      label,
      votes: verdicts.filter((v) => v.suggested === label).length,
      best: Math.max(...verdicts.filter((v) => v.suggested === label).map((v) => v.score)),
    }));
    labels.sort((p, q) => q.votes - p.votes || q.best - p.best || p.label - q.label);
    // The top score is over the strategies on noiseScore's scale (all but CL); CL's only when it flagged alone.
    const named = Object.entries(strategies) as [StrategyName, { score: number }][];
    const onShared = named.filter(([name]) => name !== 'cl').map(([, v]) => v.score);
    return {
      index,
      strategies,
      agreement: verdicts.length,
      topScore: onShared.length ? Math.max(...onShared) : strategies.cl!.score,
      suggested: labels[0]!.label,
    };
  });
  const onlyCl = (e: QueueEntry) => Object.keys(e.strategies).every((name) => name === 'cl');
  return entries.sort((p, q) => q.agreement - p.agreement || Number(onlyCl(p)) - Number(onlyCl(q)) || q.topScore - p.topScore || p.index - q.index);
}

describe('mergeFlags, randomized against the definition', () => {
  it('matches on random flag lists with tied scores and suggestions', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = mulberry32(seed);
      const lists: Flag[][] = [];
      const numLists = 1 + Math.floor(rnd() * 6);
      for (let l = 0; l < numLists; l++) {
        const list: Flag[] = [];
        const count = Math.floor(rnd() * 20);
        for (let f = 0; f < count; f++) {
          const strategy = STRATEGY_NAMES[Math.floor(rnd() * STRATEGY_NAMES.length)]!;
          // Quarter steps and few labels make ties in score and suggestion common.
          list.push(flag(strategy, Math.floor(rnd() * 15), Math.floor(rnd() * 5) / 4, Math.floor(rnd() * 3)));
        }
        lists.push(list);
      }
      const queue = mergeFlags(lists);
      // Key order inside `strategies` is not part of the contract; toEqual ignores it.
      expect(queue, `seed ${seed}`).toEqual(referenceQueue(lists));
    }
  });
});
