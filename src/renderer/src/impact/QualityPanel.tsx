import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import type { ModelQuality } from '../../../shared/domain';
import { ChartCanvas } from '../components/ChartCanvas';
import '../styles/impact.css';

const f3 = (v: number | null) => (v === null ? '–' : v.toFixed(3));

/** The run's model against the given labels: TACRED scores, confusions, a reliability diagram, per-label scores. */
export function QualityPanel({ quality, model }: { quality: ModelQuality; model: string }) {
  const reliability = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: quality.reliability.map((b) => `${b.from.toFixed(1)}–${b.to.toFixed(1)}`),
        datasets: [
          { type: 'line', label: 'perfect calibration', data: quality.reliability.map((b) => (b.from + b.to) / 2), borderColor: '#98a2b3', borderDash: [4, 4], pointRadius: 0 },
          { type: 'line', label: 'mean confidence', data: quality.reliability.map((b) => b.confidence), borderColor: '#c28a00', spanGaps: true },
          { type: 'bar', label: 'share correct', data: quality.reliability.map((b) => b.accuracy), backgroundColor: '#3559e0' },
        ],
      },
      options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 1 } } },
    }),
    [quality],
  );
  return (
    <section data-testid="quality-panel">
      <h3>
        Model quality against the given labels ({model.startsWith('winnow-builtin') ? 'out-of-fold' : 'as predicted'})
      </h3>
      <div className="metric-cards">
        <div className="metric-card"><b data-testid="quality-micro-f1">{f3(quality.microF1)}</b>micro-F1 (TACRED)</div>
        <div className="metric-card"><b>{f3(quality.macroF1)}</b>macro-F1</div>
        <div className="metric-card"><b>{f3(quality.microPrecision)} / {f3(quality.microRecall)}</b>precision / recall</div>
        <div className="metric-card"><b data-testid="quality-ece">{f3(quality.ece)}</b>calibration error (ECE)</div>
      </div>
      <ChartCanvas label="Reliability diagram" height={220} config={reliability} />
      <div className="quality-tables">
        <table className="overlap">
          <caption className="muted small">Most frequent confusions</caption>
          <thead>
            <tr><th>given</th><th>predicted</th><th>examples</th></tr>
          </thead>
          <tbody>
            {quality.confusions.map((c) => (
              <tr key={`${c.given} ${c.predicted}`}><td>{c.given}</td><td>{c.predicted}</td><td>{c.count.toLocaleString()}</td></tr>
            ))}
          </tbody>
        </table>
        <details>
          <summary className="muted small">Per label ({quality.perLabel.length})</summary>
          <table className="overlap">
            <thead>
              <tr><th>label</th><th>P</th><th>R</th><th>F1</th><th>given</th></tr>
            </thead>
            <tbody>
              {quality.perLabel.map((l) => (
                <tr key={l.label}><td>{l.label}</td><td>{f3(l.precision)}</td><td>{f3(l.recall)}</td><td>{f3(l.f1)}</td><td>{l.gold}</td></tr>
              ))}
            </tbody>
          </table>
        </details>
      </div>
    </section>
  );
}
