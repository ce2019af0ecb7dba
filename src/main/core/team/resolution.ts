import { outcomeOf, type Outcome, type ResolvePolicy } from '../../../shared/team';
import type { ExampleVotes, StoredVote } from '../store/team-state';

export type Resolution =
  /** The decision an export applies, and how it was reached. */
  | { kind: 'single' | 'unanimous' | 'majority' | 'adjudication'; decision: StoredVote; annotators: string[] }
  /** The annotators disagree and the policy settles nothing: the example is left as it was. */
  | { kind: 'unresolved'; decisions: Record<string, Outcome> };

const latest = (votes: readonly StoredVote[]) => votes.reduce((a, b) => (b.decisionId > a.decisionId ? b : a));

/**
 * What an export does with one example under a resolve policy (see ResolvePolicy): the
 * adjudication if any (not under `unanimous`), else the decision every annotator who decided
 * agrees on, else under `majority` the outcome more than half of them chose; otherwise the
 * example is unresolved. Null when no annotator decided it (an adjudication alone, under `unanimous`).
 */
export function resolveExample(example: ExampleVotes, policy: ResolvePolicy): Resolution | null {
  if (example.adjudication && policy !== 'unanimous') return { kind: 'adjudication', decision: example.adjudication, annotators: [example.adjudication.annotator] };
  const { votes } = example;
  if (votes.length === 0) return null;
  const groups = new Map<Outcome, StoredVote[]>();
  for (const vote of votes) groups.set(outcomeOf(vote), [...(groups.get(outcomeOf(vote)) ?? []), vote]);
  if (groups.size === 1) return { kind: votes.length === 1 ? 'single' : 'unanimous', decision: latest(votes), annotators: votes.map((v) => v.annotator) };
  if (policy === 'majority') {
    const largest = [...groups.values()].reduce((a, b) => (b.length > a.length ? b : a));
    if (largest.length * 2 > votes.length) return { kind: 'majority', decision: latest(largest), annotators: largest.map((v) => v.annotator) };
  }
  return { kind: 'unresolved', decisions: Object.fromEntries(votes.map((v) => [v.annotator, outcomeOf(v)])) };
}
