import { outcomeOf, type AgreementReport, type AgreementSection, type LabelAgreement, type Outcome } from '../../../shared/team';
import type { Db } from '../store/database';
import { annotatorCounts, votesByExample, type ExampleVotes } from '../store/team-state';
import { cohenKappa, fleissKappa } from './kappa';

/** Kappas to 12 decimals: a value such as 1/2 prints as 0.5, not 0.49999999999999994. */
const rounded = (kappa: number | null) => (kappa === null ? null : Math.round(kappa * 1e12) / 1e12);

interface Agreement {
  report: AgreementReport;
  section: AgreementSection;
}

/**
 * Agreement between annotators over their current decisions (adjudications are not votes):
 * per pair, the examples both decided and Cohen's kappa over the outcomes (keep, eliminate,
 * or the new label); Fleiss' kappa over the examples three or more decided; per given label,
 * how many examples two or more decided and on how many they all agree; and the conflicts
 * (examples whose decisions differ), adjudicated or not.
 */
function computeAgreement(db: Db): Agreement {
  const annotators = annotatorCounts(db);
  const names = annotators.map((a) => a.name);
  const index = new Map(names.map((n, i) => [n, i]));
  const pairRatings = names.map(() => names.map(() => [] as [Outcome, Outcome][]));
  const fleissItems: Outcome[][] = [];
  const labels = new Map<string, LabelAgreement>();
  const conflicts: AgreementReport['conflicts'] = [];
  let adjudicated = 0;
  const add = (example: ExampleVotes) => {
    const votes = [...example.votes].sort((a, b) => a.annotator.localeCompare(b.annotator));
    if (votes.length < 2) return;
    const outcomes = votes.map(outcomeOf);
    for (let i = 0; i < votes.length; i++) {
      for (let j = i + 1; j < votes.length; j++) {
        const [a, b] = [index.get(votes[i]!.annotator)!, index.get(votes[j]!.annotator)!];
        // Rows and columns in name order: the pair (a, b) with a before b.
        if (a < b) pairRatings[a]![b]!.push([outcomes[i]!, outcomes[j]!]);
        else pairRatings[b]![a]!.push([outcomes[j]!, outcomes[i]!]);
      }
    }
    if (votes.length >= 3) fleissItems.push(outcomes);
    const agree = new Set(outcomes).size === 1;
    const entry = labels.get(example.given) ?? { label: example.given, examples: 0, agreed: 0, conflicts: 0 };
    entry.examples++;
    if (agree) entry.agreed++;
    else entry.conflicts++;
    labels.set(example.given, entry);
    if (!agree) {
      conflicts.push({ id: example.id, decisions: Object.fromEntries(votes.map((v, i) => [v.annotator, outcomes[i]!])) });
      if (example.adjudication) adjudicated++;
    }
  };
  for (const example of votesByExample(db)) add(example);

  const pairs: AgreementReport['pairs'] = [];
  const matrix: AgreementSection['matrix'] = names.map((_, i) => names.map((__, j) => (i === j ? { overlap: annotators[i]!.decided, kappa: null } : { overlap: 0, kappa: null })));
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      const result = cohenKappa(pairRatings[a]![b]!);
      const kappa = rounded(result.kappa);
      pairs.push({ a: names[a]!, b: names[b]!, overlap: result.items, kappa });
      matrix[a]![b] = matrix[b]![a] = { overlap: result.items, kappa };
    }
  }
  const fleiss = fleissKappa(fleissItems);
  fleiss.kappa = rounded(fleiss.kappa);
  const byLabel = [...labels.values()].sort((x, y) => y.examples - x.examples || x.label.localeCompare(y.label));
  return {
    report: { pairs, fleiss: fleiss.kappa, labels: byLabel, conflicts },
    section: { annotators, matrix, fleiss: fleiss.kappa, fleissExamples: fleiss.items, labels: byLabel, conflicts: conflicts.length, adjudicated },
  };
}

/** What `winnow agreement` prints. */
export function agreementReport(db: Db): AgreementReport {
  return computeAgreement(db).report;
}

/** The report's agreement section; null when fewer than two annotators decided anything. */
export function agreementSection(db: Db): AgreementSection | null {
  const { section } = computeAgreement(db);
  return section.annotators.length < 2 ? null : section;
}

/** Which conflicts an adjudication settles, for the printed list. */
export function adjudicatedConflicts(db: Db): Map<string, { annotator: string; outcome: Outcome }> {
  const settled = new Map<string, { annotator: string; outcome: Outcome }>();
  for (const example of votesByExample(db)) {
    if (example.adjudication && new Set(example.votes.map(outcomeOf)).size > 1) settled.set(example.id, { annotator: example.adjudication.annotator, outcome: outcomeOf(example.adjudication) });
  }
  return settled;
}
