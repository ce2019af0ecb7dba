import { useState } from 'react';
import type { ExampleRow } from '../../../../shared/domain';
import type { TeamVote } from '../../../../shared/team';
import { call } from '../../api/client';
import '../../styles/team.css';

const outcome = (vote: Pick<TeamVote, 'action' | 'label'>) => (vote.action === 'reannotate' ? `relabel → ${vote.label}` : vote.action);

/**
 * The detail pane's team section: each annotator's decision side by side and, for a conflict,
 * buttons to record the final decision as adjudication (by whoever is the annotator here).
 */
export function TeamPanel({ row, onAdjudicated }: { row: ExampleRow; onAdjudicated: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const team = row.team;
  if (!team) return null;
  const choices = [...new Map([...team.votes.map((v) => [`${v.action}/${v.label ?? ''}`, v] as const)]).values()];
  if (!choices.some((c) => c.action === 'keep')) choices.push({ annotator: '', action: 'keep', label: null });
  if (!choices.some((c) => c.action === 'eliminate')) choices.push({ annotator: '', action: 'eliminate', label: null });
  async function adjudicate(choice: Pick<TeamVote, 'action' | 'label'>) {
    setError(null);
    try {
      await call('decisions:apply', { target: { ids: [row.id] }, action: choice.action, label: choice.label ?? undefined, adjudicate: true });
      onAdjudicated();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <section className="team-panel" data-testid="team-panel">
      <h3>Annotators{team.conflict ? ' disagree' : ' agree'}</h3>
      <table>
        <tbody>
          {team.votes.map((vote) => (
            <tr key={vote.annotator}>
              <th>{vote.annotator}</th>
              <td className={`decision-${vote.action}`}>{outcome(vote)}</td>
            </tr>
          ))}
          {team.adjudication && (
            <tr data-testid="team-adjudication">
              <th>⚖ {team.adjudication.annotator}</th>
              <td>{outcome(team.adjudication)} (adjudication)</td>
            </tr>
          )}
        </tbody>
      </table>
      {team.conflict && (
        <>
          <p className="muted small">Record the final decision as adjudication (your own undo reverts it):</p>
          <div className="actions">
            {choices.map((choice) => (
              <button key={`${choice.action}/${choice.label ?? ''}`} type="button" className="small" data-testid={`adjudicate-${choice.action}`} onClick={() => void adjudicate(choice)}>
                {outcome(choice)}
              </button>
            ))}
          </div>
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
