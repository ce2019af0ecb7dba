import { useLayoutEffect, useRef } from 'react';
import { BreakableLabel } from './BreakableLabel';
import type { ExampleDetail, ExampleRow } from '../../../shared/domain';
import { STRATEGIES } from '../../../shared/strategies';
import { useNegativeLabel } from '../negative-label';
import { Sentence } from './SentenceCell';
import { ConflictBadge } from './team/TeamVotes';
import { TeamPanel } from './team/TeamPanel';

function DecisionBadge({ decision, conflict }: { decision: ExampleRow['decision']; conflict: boolean }) {
  if (!decision) return conflict ? <ConflictBadge /> : <span className="decision decision-none">undecided</span>;
  return (
    <span className={`decision decision-${decision.action}`} data-testid="detail-decision">
      {decision.action}
      {decision.label ? ` → ${decision.label}` : ''}
    </span>
  );
}

interface Props {
  /** The cursor's row as the grid has it: shown at once, before the detail arrives. */
  row: ExampleRow | null;
  detail: ExampleDetail | null;
  error: string | null;
  run: number | null;
  /** A decision was recorded here (an adjudication): the grid and this pane are read again. */
  onChanged?: () => void;
}

/** The whole example, why it was flagged (neighbours, anchors), the model's view and the history. */
export function DetailPane({ row, detail, error, run, onChanged }: Props) {
  const negativeLabel = useNegativeLabel();
  const pane = useRef<HTMLElement>(null);
  // Each example opens at its top, not scrolled to where the previous one was left.
  useLayoutEffect(() => {
    if (pane.current) pane.current.scrollTop = 0;
  }, [row?.id]);
  if (!row) return <aside className="detail empty-detail">Select an example to see its details (↓ or j).</aside>;
  const labelClass = (label: string) => (label === negativeLabel ? 'label-negative' : 'label-positive');
  const full = detail && detail.row.id === row.id ? detail : null;
  const shown = full?.row ?? row;
  const note = full?.history.at(-1)?.note ?? null;
  return (
    <aside className="detail" data-testid="detail-pane" aria-label="Example details" ref={pane}>
      <div className="detail-head">
        <span className="mono" data-testid="detail-id">{row.id}</span>
        <span className="muted">{row.split}</span>
        <DecisionBadge decision={shown.decision} conflict={shown.team?.conflict ?? false} />
      </div>
      <p className="detail-sentence">
        <Sentence row={row} />
      </p>
      {note && (
        <p className="detail-note" data-testid="detail-note">
          <span className="muted">Note:</span> {note}
        </p>
      )}
      <TeamPanel row={shown} onAdjudicated={() => onChanged?.()} />
      <dl className="facts">
        <dt>Given label</dt>
        <dd className={labelClass(row.label)}>
          <BreakableLabel label={row.label} />
        </dd>
        {row.flag && (
          <>
            <dt>Suggested</dt>
            <dd className="label-suggested">
              <BreakableLabel label={row.flag.suggested} />
            </dd>
            <dt>Model says</dt>
            <dd>
              {row.flag.predicted && <BreakableLabel label={row.flag.predicted} />} ({((row.flag.predictedProb ?? 0) * 100).toFixed(1)}%)
            </dd>
            <dt>Queue position</dt>
            <dd>
              #{row.flag.rank + 1}, {row.flag.agreement} strateg{row.flag.agreement === 1 ? 'y' : 'ies'} agree
            </dd>
          </>
        )}
      </dl>
      {error && <p className="error">{error}</p>}
      {!full && !error && <p className="muted small">Loading evidence and history…</p>}
      {full && full.probabilities.length > 0 && (
        <section>
          <h3>Probabilities (run #{run})</h3>
          <ul className="bars" aria-label="Class probabilities">
            {full.probabilities.filter((p) => p.prob >= 0.005).map((p) => (
              <li key={p.label} title={`${p.label}: ${(p.prob * 100).toFixed(2)}%`}>
                <span className={`bar-label ${p.label === row.label ? 'is-given' : ''}`}>{p.label}</span>
                <span className="bar-track">
                  <span className="bar-fill" style={{ width: `${Math.max(1, p.prob * 100)}%` }} />
                </span>
                <span className="bar-value">{(p.prob * 100).toFixed(1)}%</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {full?.flags.map((flag) => (
        <section key={flag.strategy} data-testid={`evidence-${flag.strategy}`}>
          <h3 title={STRATEGIES[flag.strategy].score}>
            {STRATEGIES[flag.strategy].badge} · score {flag.score.toFixed(3)} · suggests <span className="label-suggested">{flag.suggested}</span>
          </h3>
          <p className="muted small">{STRATEGIES[flag.strategy].score}</p>
          {flag.anchors.length > 0 && <p className="muted small">False-negative anchors (positives the model calls negative) whose nearest negatives include this example:</p>}
          {flag.neighbours.length > 0 && <p className="muted small">{flag.strategy === 'knn' ? 'Nearest neighbours in the dataset:' : 'Nearest clean examples:'}</p>}
          <ul className="evidence">
            {[...flag.anchors, ...flag.neighbours].map((n, i) => (
              <li key={`${n.id}-${i}`}>
                <div className="evidence-meta">
                  <span className="mono">{n.id}</span>
                  <span className={labelClass(n.label)}>{n.label}</span>
                  <span className="muted">sim {n.similarity.toFixed(3)}</span>
                </div>
                {n.example && <Sentence row={n.example} />}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {full && (
        <section>
          <h3>History</h3>
          {full.history.length === 0 ? (
            <p className="muted small">No decisions yet.</p>
          ) : (
            <ol className="history" data-testid="history">
              {full.history.map((h, i) => (
                <li key={h.seq}>
                  <span className="muted">{new Date(h.time).toLocaleString()}</span> {h.annotator}{h.adjudication ? ' (adjudication)' : ''}:{' '}
                  {h.kind === 'note' ? (h.note ? 'note' : 'note removed') : (
                    <>
                      {h.kind !== 'decision' ? `${h.kind} → ` : ''}
                      {h.action === 'clear' ? 'undecided' : h.action}
                      {h.newLabel ? ` → ${h.newLabel}` : ''}
                    </>
                  )}
                  {/* A note travels with later decisions; it is shown where it was written or changed. */}
                  {h.note && h.note !== full.history[i - 1]?.note ? <em> “{h.note}”</em> : null}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
      {full && (
        <details>
          <summary>Original record</summary>
          <pre className="record">{JSON.stringify(full.record, null, 1)}</pre>
        </details>
      )}
    </aside>
  );
}
