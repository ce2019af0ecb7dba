import { useEffect, useState } from 'react';
import { Chart } from 'chart.js';
import type { ReferenceSetInfo, ReportData } from '../../../shared/domain';
import { call } from '../api/client';
import { downloadOutputs } from '../api/outputs';
import { isBrowserMode } from '../api/transport';
import { ChartCanvas } from './ChartCanvas';
import { QualityPanel } from '../impact/QualityPanel';


const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

/** The run's report: label distribution before/after, flags and their overlap, decisions over time, evaluation. */
export function ReportView({ run, onClose, toast, onOpenImpact }: { run: number; onClose: () => void; toast: (kind: 'info' | 'error', text: string) => void; onOpenImpact?: () => void }) {
  const [references, setReferences] = useState<ReferenceSetInfo[]>([]);
  const [reference, setReference] = useState<string>('');
  const [data, setData] = useState<ReportData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('reference:list', {}).then(setReferences, () => setReferences([]));
  }, []);
  useEffect(() => {
    setData(null);
    call('report:data', { run, reference: reference || undefined }).then(setData, (e: Error) => setError(e.message));
  }, [run, reference]);

  async function save() {
    try {
      let destination: string | undefined;
      if (!isBrowserMode) {
        const chosen = await call('dialog:saveFile', { title: 'Save report', defaultName: `winnow-report-run${run}.html` });
        if (!chosen.file) return;
        destination = chosen.file.token;
      }
      const saved = await call('report:save', { run, reference: reference || undefined, destination });
      toast('info', `Report saved to ${saved.path}`);
      downloadOutputs([saved]);
    } catch (e) {
      toast('error', (e as Error).message);
    }
  }

  const styles = getComputedStyle(document.documentElement);
  const text = styles.getPropertyValue('--text').trim() || '#1d2433';
  Chart.defaults.color = text;
  return (
    <div className="report" data-testid="report-view">
      <div className="report-head">
        <h2>Report · run #{run}</h2>
        <label className="field">
          <span>Evaluate against</span>
          <select value={reference} onChange={(e) => setReference(e.target.value)} data-testid="report-reference">
            <option value="">No reference</option>
            {references.map((r) => (
              <option key={r.name} value={r.name}>
                {r.name} ({r.matched} examples)
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        {onOpenImpact && <button type="button" onClick={onOpenImpact} data-testid="report-open-impact">Cleaning impact…</button>}
        <button type="button" onClick={() => void save()} data-testid="report-save">Save as HTML…</button>
        <button type="button" className="ghost" onClick={onClose}>Back to the grid</button>
      </div>
      {error && <p className="error">{error}</p>}
      {!data ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="report-grid">
          {data.quality && <QualityPanel quality={data.quality} model={data.run.model} />}
          <section>
            <h3>Label distribution, before and after the decisions</h3>
            <ChartCanvas
              label="Label distribution before and after"
              height={Math.max(300, data.labels.names.length * 22)}
              config={{
                type: 'bar',
                data: { labels: data.labels.names, datasets: [{ label: 'before', data: data.labels.before, backgroundColor: '#8aa2f0' }, { label: 'after', data: data.labels.after, backgroundColor: '#1f9d72' }] },
                options: { indexAxis: 'y', maintainAspectRatio: false, scales: { x: { type: 'logarithmic' } } },
              }}
            />
          </section>
          <section>
            <h3>Flags per strategy ({data.flags.queue.toLocaleString()} examples in the queue)</h3>
            <ChartCanvas
              label="Flags per strategy"
              config={{ type: 'bar', data: { labels: data.flags.strategies.map((s) => s.toUpperCase()), datasets: [{ label: 'flags', data: data.flags.counts, backgroundColor: '#c28a00' }] }, options: { maintainAspectRatio: false } }}
            />
            <h3>Examples by number of agreeing strategies</h3>
            <ChartCanvas
              label="Agreement"
              config={{ type: 'bar', data: { labels: data.flags.examplesByAgreement.map((_, i) => `${i + 1}`), datasets: [{ label: 'examples', data: data.flags.examplesByAgreement, backgroundColor: '#7c5cd6' }] }, options: { maintainAspectRatio: false } }}
            />
            <table className="overlap">
              <thead>
                <tr>
                  <th>overlap</th>
                  {data.flags.strategies.map((s) => (
                    <th key={s}>{s.toUpperCase()}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.flags.pairwise.map((row, i) => (
                  <tr key={i}>
                    <th>{data.flags.strategies[i]!.toUpperCase()}</th>
                    {row.map((v, j) => (
                      <td key={j}>{v.toLocaleString()}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section>
            <h3>Decisions over time (by {data.decisionsOverTime.bucket})</h3>
            <ChartCanvas
              label="Decisions over time"
              config={{
                type: 'bar',
                data: {
                  labels: data.decisionsOverTime.labels,
                  datasets: Object.entries(data.decisionsOverTime.series).map(([name, values], i) => ({ label: name, data: values, backgroundColor: ['#1f9d72', '#d64545', '#3559e0', '#98a2b3'][i % 4] })),
                },
                options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true } } },
              }}
            />
            <p className="muted small">
              Decided: {data.decided.keep} kept, {data.decided.eliminate} eliminated, {data.decided.reannotate} reannotated.
            </p>
          </section>
          {data.evaluation && (
            <section>
              <h3>
                Against “{data.evaluation.reference}”: {data.evaluation.covered.toLocaleString()} ranked examples covered, {data.evaluation.changed.toLocaleString()} relabelled by it
              </h3>
              <ChartCanvas
                label="Precision and recall per strategy"
                config={{
                  type: 'bar',
                  data: {
                    labels: data.evaluation.strategies.map((s) => s.strategy.toUpperCase()),
                    datasets: [
                      { label: 'precision', data: data.evaluation.strategies.map((s) => s.precision ?? 0), backgroundColor: '#3559e0' },
                      { label: 'recall', data: data.evaluation.strategies.map((s) => s.recall ?? 0), backgroundColor: '#1f9d72' },
                    ],
                  },
                  options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 1 } } },
                }}
              />
              <table className="overlap" data-testid="report-evaluation">
                <thead>
                  <tr>
                    <th>strategy</th>
                    <th>flagged</th>
                    <th>precision</th>
                    <th>recall</th>
                    <th>suggestion = reference</th>
                  </tr>
                </thead>
                <tbody>
                  {data.evaluation.strategies.map((s) => (
                    <tr key={s.strategy}>
                      <th>{s.strategy.toUpperCase()}</th>
                      <td>{s.flagged}</td>
                      <td>{pct(s.precision)}</td>
                      <td>{pct(s.recall)}</td>
                      <td>{pct(s.suggestionAccuracy)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </div>
      )}
    </div>
  );
}
