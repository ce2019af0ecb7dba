import type { TeamDecisions, TeamVote } from '../../../../shared/team';
import '../../styles/team.css';

function outcome(vote: TeamVote): string {
  return vote.action === 'reannotate' ? `→ ${vote.label}` : vote.action;
}

/** Each annotator's decision on an example, side by side; the adjudication, if any, last and framed. */
export function TeamVotes({ team }: { team: TeamDecisions }) {
  return (
    <span className="team-votes" data-testid="team-votes" data-conflict={team.conflict ? 'yes' : 'no'}>
      {team.votes.map((vote) => (
        <span key={vote.annotator} className={`team-vote vote-${vote.action}`} title={`${vote.annotator}: ${outcome(vote)}`}>
          <span className="who">{vote.annotator}</span>
          {outcome(vote)}
        </span>
      ))}
      {team.adjudication && (
        <span className={`team-vote adjudication vote-${team.adjudication.action}`} title={`adjudicated by ${team.adjudication.annotator}: ${outcome(team.adjudication)}`}>
          <span className="who">⚖ {team.adjudication.annotator}</span>
          {outcome(team.adjudication)}
        </span>
      )}
    </span>
  );
}

/** The grid's decision cell for an example the annotators disagree on and nobody adjudicated. */
export function ConflictBadge() {
  return (
    <span className="decision decision-conflict" title="The annotators' decisions differ: filter on Conflicts to adjudicate">
      conflict
    </span>
  );
}
