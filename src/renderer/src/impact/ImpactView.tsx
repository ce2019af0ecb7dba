import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ChartConfiguration } from 'chart.js';
import {
  COMPARE_VARIANTS,
  comparisonRows,
  comparisonViews,
  VARIANTS,
  type CompareResult,
  type CompareVariant,
  type ReferenceSetInfo,
  type RunSummary,
} from '../../../shared/domain';
import { call, subscribe } from '../api/client';
import { ChartCanvas } from '../components/ChartCanvas';
import '../styles/impact.css';

interface Props {
  run: RunSummary;
  splits: string[];
  onClose: () => void;
  onStarted: (jobId: string, label: string) => void;
  toast: (kind: 'info' | 'error', text: string) => void;
}

const f3 = (v: number) => v.toFixed(3);
const signed = (v: number | null) => (v === null ? '' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`);
const range = (s: { min: number; max: number }) => `${f3(s.min)}–${f3(s.max)}`;

/** The variants this run can build: original, the E/R datasets of its strategies, reviewed. */
function buildable(run: RunSummary): CompareVariant[] {
  return COMPARE_VARIANTS.filter((v) => VARIANTS[v].strategy === null || run.strategies.includes(VARIANTS[v].strategy!));
}

/**
 * Does cleaning help? Retrains the built-in model on each cleaned variant of a split (built as
 * the export writes it), several seeds, and scores held-out splits with TACRED's metric: a
 * table with the spread over seeds and the difference to the original, and a chart of F1 per
 * variant. The comparisons are stored with the run and go into its saved report.
 */
export function ImpactView({ run, splits, onClose, onStarted, toast }: Props) {
  const [train, setTrain] = useState(splits.includes('train') ? 'train' : (splits[0] ?? ''));
  const [evals, setEvals] = useState<string[]>(() => {
    // Held-out data: the test split, else dev, else the first other split.
    const preferred = ['test', 'dev'].find((s) => splits.includes(s) && s !== train);
    return preferred ? [preferred] : splits.filter((s) => s !== train).slice(0, 1);
  });
  const [variants, setVariants] = useState<CompareVariant[]>(() => buildable(run).filter((v) => v !== 'reviewed'));
  const [seeds, setSeeds] = useState(3);
  const [references, setReferences] = useState<ReferenceSetInfo[]>([]);
  const [reference, setReference] = useState('');
  const [history, setHistory] = useState<CompareResult[]>([]);
  const [shown, setShown] = useState<number | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const list = await call('compare:list', { run: run.id });
    setHistory(list);
    setShown((current) => (current !== null && list.some((c) => c.id === current) ? current : (list[0]?.id ?? null)));
  }, [run.id]);

  useEffect(() => {
    load().catch((e: Error) => setError(e.message));
    call('reference:list', {}).then(setReferences, () => setReferences([]));
  }, [load]);

  useEffect(
    () =>
      subscribe('job:finished', (finished) => {
        if (finished.jobId !== running) return;
        setRunning(null);
        if (finished.status === 'done' && finished.kind === 'compare') {
          setShown(finished.result.id);
          void load();
        }
      }),
    [running, load],
  );

  async function start() {
    setError(null);
    try {
      const { jobId } = await call('compare:start', { train, evals, run: run.id, variants, seeds, reference: reference || undefined });
      setRunning(jobId);
      onStarted(jobId, `Cleaning impact: ${variants.length} variants × ${seeds} seeds`);
    } catch (e) {
      setError((e as Error).message);
      toast('error', (e as Error).message);
    }
  }

  const available = new Set(buildable(run));
  const result = history.find((c) => c.id === shown) ?? null;
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  return (
    <div className="report impact" data-testid="impact-view">
      <div className="report-head">
        <h2>Cleaning impact · run #{run.id}</h2>
        <span className="muted small">Does cleaning help? A model retrained on each variant, scored on held-out data with TACRED's metric.</span>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={onClose}>Back</button>
      </div>
      <section className="impact-form" aria-label="Comparison settings">
        <label className="field">
          <span>Train on</span>
          <select value={train} onChange={(e) => { setTrain(e.target.value); setEvals((list) => list.filter((s) => s !== e.target.value)); }} data-testid="impact-train">
            {splits.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <fieldset className="fieldset">
          <legend>Evaluate on</legend>
          <div className="impact-checks">
            {splits.filter((s) => s !== train).map((s) => (
              <label key={s} className="check">
                <input type="checkbox" checked={evals.includes(s)} onChange={(e) => setEvals((list) => toggle(list, s, e.target.checked))} data-testid={`impact-eval-${s}`} />
                {s}
              </label>
            ))}
            {splits.length < 2 && <span className="muted small">Import a held-out split (dev or test) to evaluate on.</span>}
          </div>
        </fieldset>
        <fieldset className="fieldset grow">
          <legend>Variants (built as the export writes them)</legend>
          <div className="impact-checks">
            {COMPARE_VARIANTS.map((v) => (
              <label key={v} className="check" title={available.has(v) ? VARIANTS[v].title : `run #${run.id} did not run ${VARIANTS[v].strategy?.toUpperCase()}`}>
                <input type="checkbox" disabled={!available.has(v)} checked={variants.includes(v)} onChange={(e) => setVariants((list) => COMPARE_VARIANTS.filter((x) => (x === v ? e.target.checked : list.includes(x))))} data-testid={`impact-variant-${v}`} />
                {v}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field">
          <span>Seeds</span>
          <input type="number" min={1} max={20} value={seeds} onChange={(e) => setSeeds(Math.max(1, Math.min(20, Number(e.target.value) || 1)))} data-testid="impact-seeds" />
        </label>
        <label className="field">
          <span>Also score against</span>
          <select value={reference} onChange={(e) => setReference(e.target.value)} data-testid="impact-reference">
            <option value="">No reference</option>
            {references.map((r) => (
              <option key={r.name} value={r.name}>{r.name}</option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={!train || !evals.length || !variants.length || running !== null} onClick={() => void start()} data-testid="impact-start">
          {running ? 'Running…' : 'Run comparison'}
        </button>
      </section>
      {error && <p className="error" role="alert">{error}</p>}
      {history.length > 0 && (
        <div className="row impact-history">
          <label className="field">
            <span>Comparison</span>
            <select value={shown ?? ''} onChange={(e) => setShown(Number(e.target.value))} data-testid="impact-history">
              {history.map((c) => (
                <option key={c.id} value={c.id}>
                  #{c.id} · {new Date(c.createdAt).toLocaleString()} · train {c.train} · {c.variants.length} variants × {c.seeds.length} seeds · {c.seconds} s
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {result ? <ComparisonTables result={result} /> : <p className="muted">No comparison with this run yet: choose the splits and variants above and run one.</p>}
    </div>
  );
}

function ComparisonTables({ result }: { result: CompareResult }) {
  return (
    <div className="impact-results" data-testid="impact-results">
      {result.warnings.length > 0 && (
        <div className="impact-warnings" role="alert" data-testid="impact-warnings">
          {result.warnings.map((w) => (
            <p key={w}>{w}</p>
          ))}
        </div>
      )}
      {comparisonViews(result).map((view) => (
        <ComparisonView key={`${view.eval} ${view.labels}`} result={result} view={view} />
      ))}
      {result.skipped.length > 0 && (
        <p className="muted small" data-testid="impact-skipped">
          Not run: {result.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}
        </p>
      )}
    </div>
  );
}

function ComparisonView({ result, view }: { result: CompareResult; view: { eval: string; labels: 'given' | 'reference' } }) {
  const rows = useMemo(() => comparisonRows(result, view), [result, view]);
  const config = useMemo<ChartConfiguration>(() => {
    const floor = Math.max(0, Math.floor((Math.min(...rows.map((r) => r.f1.min)) - 0.02) * 20) / 20);
    return {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.name),
        datasets: [
          { label: 'F1, mean over seeds', data: rows.map((r) => r.f1.mean), backgroundColor: rows.map((r) => (r.name === 'original' ? '#98a2b3' : '#3559e0')), order: 1 },
          // Floating bars from the lowest to the highest seed (the spread), drawn over the means (lower order is on top).
          { label: 'F1, min to max', data: rows.map((r) => [r.f1.min, r.f1.max] as [number, number]), backgroundColor: '#1d2433', barPercentage: 0.08, grouped: false, order: 0 },
        ],
      },
      options: { maintainAspectRatio: false, animation: false, scales: { y: { min: floor, title: { display: true, text: 'F1 (TACRED micro)' } } } },
    };
  }, [rows]);
  const title = `${view.eval} · ${view.labels === 'given' ? 'given labels' : `labels of ${result.reference}`}`;
  return (
    <section className="impact-view" data-testid={`impact-view-${view.eval}-${view.labels}`}>
      <h3>{title}</h3>
      <div className="impact-columns">
        <table className="overlap impact-table" data-testid="impact-table">
          <thead>
            <tr>
              <th>variant</th>
              <th>size</th>
              <th>removed</th>
              <th>relabelled</th>
              <th>P</th>
              <th>R</th>
              <th>F1</th>
              <th>F1 min–max</th>
              <th>vs original</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name} title={VARIANTS[r.name].title}>
                <th>{r.name}</th>
                <td>{r.trainSize.toLocaleString()}</td>
                <td>{r.removed.toLocaleString()}</td>
                <td>{r.relabelled.toLocaleString()}</td>
                <td title={range(r.p)}>{f3(r.p.mean)}</td>
                <td title={range(r.r)}>{f3(r.r.mean)}</td>
                <td><b>{f3(r.f1.mean)}</b></td>
                <td>{range(r.f1)}</td>
                <td className={r.delta === null ? '' : r.delta >= 0 ? 'delta-up' : 'delta-down'}>{signed(r.delta)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ChartCanvas label={`F1 per variant, ${title}`} height={Math.max(240, 40 + rows.length * 18)} config={config} testId="impact-chart" />
      </div>
      <p className="muted small">
        {result.model === 'builtin' ? 'Built-in model, fixed hyperparameters' : `Trainer ${result.model}`}, seeds {result.seeds.join(', ')}; P and R are means over the seeds (hover for the range).
      </p>
    </section>
  );
}
