import { useNegativeLabel } from '../negative-label';
import { useEffect, useState } from 'react';
import type { ExampleDetail } from '../../../shared/domain';
import { call } from '../api/client';
import { Sentence } from './SentenceCell';

const STRATEGY_TITLE: Record<string, string> = { is: 'IS', es: 'ES', esp: 'ESP', cl: 'CL', knn: 'KNN' };

function DecisionBadge({ decision }: { decision: ExampleDetail['row']['decision'] }) {
  if (!decision) return <span className="decision decision-none">undecided</span>;
  return (
    <span className={`decision decision-${decision.action}`}>
      {decision.action}
      {decision.label ? ` → ${decision.label}` : ''}
    </span>
  );
}

/** The whole example, why it was flagged (neighbours, anchors), the model's view and the history. */
export function DetailPane({ id, run, version }: { id: string | null; run: number | null; version: number }) {
  const negativeLabel = useNegativeLabel();
  const [detail, setDetail] = useState<ExampleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!id) {
      setDetail(null);
      return;
    }
    let live = true;
    call('examples:detail', { id, run: run ?? undefined }).then(
      (d) => live && (setDetail(d), setError(null)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [id, run, version]);

  if (!id) return <aside className="detail empty-detail">Select an example to see its details.</aside>;
  if (error) return <aside className="detail"><p className="error">{error}</p></aside>;
  if (!detail) return <aside className="detail muted">Loading…</aside>;
  const { row } = detail;
  return (
    <aside className="detail" data-testid="detail-pane" aria-label="Example details">
      <div className="detail-head">
        <span className="mono">{row.id}</span>
        <span className="muted">{row.split}</span>
        <DecisionBadge decision={row.decision} />
      </div>
      <p className="detail-sentence">
        <Sentence row={row} />
      </p>
      <dl className="facts">
        <dt>Given label</dt>
        <dd className={row.label === negativeLabel ? 'label-negative' : 'label-positive'}>{row.label}</dd>
        {row.flag && (
          <>
            <dt>Suggested</dt>
            <dd className="label-suggested">{row.flag.suggested}</dd>
            <dt>Model says</dt>
            <dd>
              {row.flag.predicted} ({((row.flag.predictedProb ?? 0) * 100).toFixed(1)}%)
            </dd>
            <dt>Queue position</dt>
            <dd>
              #{row.flag.rank + 1}, {row.flag.agreement} strateg{row.flag.agreement === 1 ? 'y' : 'ies'} agree
            </dd>
          </>
        )}
      </dl>
      {detail.probabilities.length > 0 && (
        <section>
          <h3>Probabilities (run #{run})</h3>
          <ul className="bars" aria-label="Class probabilities">
            {detail.probabilities.filter((p) => p.prob >= 0.005).map((p) => (
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
      {detail.flags.map((flag) => (
        <section key={flag.strategy} data-testid={`evidence-${flag.strategy}`}>
          <h3>
            {STRATEGY_TITLE[flag.strategy] ?? flag.strategy} · score {flag.score.toFixed(3)} · suggests <span className="label-suggested">{flag.suggested}</span>
          </h3>
          {flag.anchors.length > 0 && <p className="muted small">False-negative anchors (positives the model calls negative) whose nearest negatives include this example:</p>}
          {flag.neighbours.length > 0 && <p className="muted small">{flag.strategy === 'knn' ? 'Nearest neighbours in the dataset:' : 'Nearest clean examples:'}</p>}
          <ul className="evidence">
            {[...flag.anchors, ...flag.neighbours].map((n, i) => (
              <li key={`${n.id}-${i}`}>
                <div className="evidence-meta">
                  <span className="mono">{n.id}</span>
                  <span className={n.label === negativeLabel ? 'label-negative' : 'label-positive'}>{n.label}</span>
                  <span className="muted">sim {n.similarity.toFixed(3)}</span>
                </div>
                {n.example && <Sentence row={n.example} />}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <section>
        <h3>History</h3>
        {detail.history.length === 0 ? (
          <p className="muted small">No decisions yet.</p>
        ) : (
          <ol className="history" data-testid="history">
            {detail.history.map((h) => (
              <li key={h.seq}>
                <span className="muted">{new Date(h.time).toLocaleString()}</span> {h.annotator}: {h.kind !== 'decision' ? `${h.kind} → ` : ''}
                {h.action}
                {h.newLabel ? ` → ${h.newLabel}` : ''}
                {h.note ? <em> “{h.note}”</em> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
      <details>
        <summary>Original record</summary>
        <pre className="record">{JSON.stringify(detail.record, null, 1)}</pre>
      </details>
    </aside>
  );
}
