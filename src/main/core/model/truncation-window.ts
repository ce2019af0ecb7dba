import type { WordSpan } from './entity-markers';

/**
 * Which words of a marked sentence to keep when its subword pieces exceed the model's
 * budget. A relation classifier without one of its two entities has nothing to classify,
 * so the rule protects the entities first and spends what is left on context:
 *
 * 1. If everything from the first entity's opening marker to the second entity's closing
 *    marker fits, keep it and grow the window outwards one word at a time, alternately
 *    left and right, while the next word fits (a side stops at the first word that does
 *    not fit, so the kept text is contiguous).
 * 2. Otherwise keep both marked entities whole and fill the gap between them from its two
 *    ends alternately (the words next to each entity matter most); no outer context.
 * 3. If the two marked entities alone do not fit, keep them anyway; the encoder then cuts
 *    the pieces at the budget, which can lose the end of the later entity.
 *
 * `costs[i]` is word i's number of pieces; returns the kept word indices in order.
 */
export function chooseTruncationWindow(costs: readonly number[], a: WordSpan, b: WordSpan, budget: number): number[] {
  const [first, second] = a.start <= b.start ? [a, b] : [b, a];
  const blockStart = first.start;
  const blockEnd = Math.max(first.end, second.end);
  const cost = (from: number, to: number) => {
    let sum = 0;
    for (let i = from; i <= to; i++) sum += costs[i]!;
    return sum;
  };
  const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);

  const blockCost = cost(blockStart, blockEnd);
  if (blockCost <= budget) {
    let left = blockStart;
    let right = blockEnd;
    let used = blockCost;
    let leftOpen = left > 0;
    let rightOpen = right < costs.length - 1;
    while (leftOpen || rightOpen) {
      if (leftOpen) {
        const next = costs[left - 1]!;
        if (used + next <= budget) {
          used += next;
          left--;
          leftOpen = left > 0;
        } else leftOpen = false;
      }
      if (rightOpen) {
        const next = costs[right + 1]!;
        if (used + next <= budget) {
          used += next;
          right++;
          rightOpen = right < costs.length - 1;
        } else rightOpen = false;
      }
    }
    return range(left, right);
  }

  // Overlapping spans leave no gap to shorten: the block is cut by rule 3.
  if (second.start <= first.end) return range(blockStart, blockEnd);
  let used = cost(first.start, first.end) + cost(second.start, second.end);
  let gapLeft = first.end + 1;
  let gapRight = second.start - 1;
  const keptLeft: number[] = [];
  const keptRight: number[] = [];
  let leftOpen = gapLeft <= gapRight;
  let rightOpen = leftOpen;
  while ((leftOpen || rightOpen) && gapLeft <= gapRight) {
    if (leftOpen) {
      const next = costs[gapLeft]!;
      if (used + next <= budget) {
        used += next;
        keptLeft.push(gapLeft++);
      } else leftOpen = false;
    }
    if (rightOpen && gapLeft <= gapRight) {
      const next = costs[gapRight]!;
      if (used + next <= budget) {
        used += next;
        keptRight.push(gapRight--);
      } else rightOpen = false;
    }
  }
  return [...range(first.start, first.end), ...keptLeft, ...keptRight.reverse(), ...range(second.start, second.end)];
}
