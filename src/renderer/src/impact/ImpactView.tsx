import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  COMPARE_VARIANTS,
  comparisonRows,
  comparisonViews,
  signedDelta,
  VARIANTS,
  type CompareResult,
  type CompareVariant,
  type ReferenceSetInfo,
  type RunSummary,
} from '../../../shared/domain';
import { comparisonChart } from '../../../shared/report-content';
import { call, subscribe } from '../api/client';
import { plural } from '../app/format';
import { useEscapeToLeave } from '../app/useEscapeToLeave';
import { SpecChart } from '../components/SpecChart';
import '../styles/impact.css';

interface Props {
  run: RunSummary;
  splits: string[];
  /** Human decisions in the project: without any, "reviewed" would be the original. */
  decisionCount: number;
  dark: boolean;
  /** The comparison on show (shared with the report), null for the run's latest. */
  comparison: number | null;
  onComparison: (id: number) => void;
  backLabel: string;
  onClose: () => void;
  onStarted: (jobId: string, label: string) => void;
  onCancel: (jobId: string) => void;
  toast: (kind: 'info' | 'error', text: string) => void;
}

const MAX_SEEDS = 20;
const f3 = (v: number) => v.toFixed(3);
const range = (s: { min: number; max: number }) => `${f3(s.min)}–${f3(s.max)}`;

/** The seed count as typed: a whole number from 1 to MAX_SEEDS, else null. */
function parseSeeds(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_SEEDS ? n : null;
}

/** The eval splits to tick by default: the test split, else dev, else the first other split. */
function defaultEvals(splits: string[], train: string): string[] {
  const preferred = ['test', 'dev'].find((s) => splits.includes(s) && s !== train);
  return preferred ? [preferred] : splits.filter((s) => s !== train).slice(0, 1);
}

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
export function ImpactView({ run, splits, decisionCount, dark, comparison, onComparison, backLabel, onClose, onStarted, onCancel, toast }: Props) {
  const [train, setTrain] = useState(splits.includes('train') ? 'train' : (splits[0] ?? ''));
  const [evals, setEvals] = useState<string[]>(() => defaultEvals(splits, train));
  const [variants, setVariants] = useState<CompareVariant[]>(() => buildable(run).filter((v) => v !== 'reviewed'));
  // As typed: clamping on every keystroke turned "10" into 20 on the way (1, then 110).
  const [seedsText, setSeedsText] = useState('3');
  const seeds = parseSeeds(seedsText);
  const [references, setReferences] = useState<ReferenceSetInfo[]>([]);
  const [reference, setReference] = useState('');
  const [history, setHistory] = useState<CompareResult[]>([]);
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const shown = comparison !== null && history.some((c) => c.id === comparison) ? comparison : (history[0]?.id ?? null);

  const load = useCallback(async () => {
    setHistory(await call('compare:list', { run: run.id }));
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
          // Shown if it is this run's (another run may have been picked while it ran).
          if (finished.result.runId === run.id) onComparison(finished.result.id);
          void load();
        }
      }),
    [running, load, onComparison, run.id],
  );

  useEscapeToLeave(onClose);
  // The Run button turns into a disabled "Running…": focus moves to the Cancel beside it.
  useEffect(() => {
    if (running) cancelButton.current?.focus();
  }, [running]);

  async function start() {
    if (seeds === null) return;
    setError(null);
    try {
      const { jobId } = await call('compare:start', { train, evals, run: run.id, variants, seeds, reference: reference || undefined });
      setRunning(jobId);
      onStarted(jobId, `Cleaning impact: ${plural(variants.length, 'variant')} × ${plural(seeds, 'seed')}`);
    } catch (e) {
      setError((e as Error).message);
      toast('error', (e as Error).message);
    }
  }

  const available = new Set(buildable(run).filter((v) => v !== 'reviewed' || decisionCount > 0));
  const unavailableWhy = (v: CompareVariant) => (v === 'reviewed' ? 'No human decisions yet: the reviewed split would be the original' : `run #${run.id} did not run ${VARIANTS[v].strategy?.toUpperCase()}`);
  // Why the Run button is disabled, said beside it (a greyed button alone does not say).
  const blocked =
    running !== null
      ? null
      : !train
        ? 'Choose a split to train on.'
        : !evals.length
          ? splits.length < 2
            ? 'Import a held-out split to evaluate on.'
            : 'Tick at least one split to evaluate on.'
          : !variants.length
            ? 'Tick at least one variant.'
            : seeds === null
              ? `Seeds: a whole number from 1 to ${MAX_SEEDS}.`
              : null;
  const result = history.find((c) => c.id === shown) ?? null;
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  return (
    <div className="report impact" data-testid="impact-view">
      <div className="report-head">
        <h2>Cleaning impact · run #{run.id}</h2>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={onClose} data-testid="impact-back">{backLabel}</button>
      </div>
      <p className="muted small impact-intro">Does cleaning help? A model retrained on each variant, scored on held-out data with TACRED's metric.</p>
      <section className="impact-form" aria-label="Comparison settings">
        <label className="field">
          <span>Train on</span>
          <select
            value={train}
            onChange={(e) => {
              const next = e.target.value;
              setTrain(next);
              // The eval splits left ticked, else the default ones for the new train split.
              setEvals((list) => {
                const kept = list.filter((s) => s !== next);
                return kept.length ? kept : defaultEvals(splits, next);
              });
            }}
            data-testid="impact-train"
          >
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
              <label key={v} className="check" title={available.has(v) ? VARIANTS[v].title : unavailableWhy(v)}>
                <input type="checkbox" disabled={!available.has(v)} checked={variants.includes(v)} onChange={(e) => setVariants((list) => COMPARE_VARIANTS.filter((x) => (x === v ? e.target.checked : list.includes(x))))} data-testid={`impact-variant-${v}`} />
                {v}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field">
          <span>Seeds</span>
          <input
            type="text"
            inputMode="numeric"
            value={seedsText}
            onChange={(e) => setSeedsText(e.target.value)}
            aria-invalid={seeds === null}
            aria-describedby="impact-blocked"
            title={`Training runs per variant, 1 to ${MAX_SEEDS}: more seeds give a tighter spread and take longer`}
            data-testid="impact-seeds"
          />
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
        <div className="impact-run">
          <button type="button" className="primary" disabled={blocked !== null || running !== null} aria-describedby="impact-blocked" onClick={() => void start()} data-testid="impact-start">
            {running ? 'Running…' : 'Run comparison'}
          </button>
          {running && (
            <button type="button" ref={cancelButton} onClick={() => onCancel(running)} data-testid="impact-cancel">
              Cancel
            </button>
          )}
          <p id="impact-blocked" className="impact-blocked" role="status" data-testid="impact-blocked">
            {blocked ?? ''}
          </p>
        </div>
      </section>
      {error && <p className="error" role="alert">{error}</p>}
      {history.length > 0 && (
        <div className="row impact-history">
          <label className="field">
            <span>Comparison</span>
            <select value={shown ?? ''} onChange={(e) => onComparison(Number(e.target.value))} data-testid="impact-history">
              {history.map((c) => (
                <option key={c.id} value={c.id}>
                  #{c.id} · {c.createdAt.slice(0, 19).replace('T', ' ')} UTC · trained on {c.train} · {plural(c.variants.length, 'variant')} × {plural(c.seeds.length, 'seed')} · {c.seconds} s
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {result ? (
        <ComparisonTables result={result} dark={dark} />
      ) : (
        <p className="muted">
          {splits.length < 2
            ? 'No comparison with this run yet. A comparison needs held-out data: import a dev or test split (Import…), then come back.'
            : 'No comparison with this run yet: choose the splits and variants above and run one.'}
        </p>
      )}
    </div>
  );
}

function ComparisonTables({ result, dark }: { result: CompareResult; dark: boolean }) {
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
        <ComparisonView key={`${view.eval} ${view.labels}`} result={result} view={view} dark={dark} />
      ))}
      {result.skipped.length > 0 && (
        <p className="muted small" data-testid="impact-skipped">
          Not run: {result.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}
        </p>
      )}
    </div>
  );
}

function ComparisonView({ result, view, dark }: { result: CompareResult; view: { eval: string; labels: 'given' | 'reference' }; dark: boolean }) {
  const rows = useMemo(() => comparisonRows(result, view), [result, view]);
  const title = `${view.eval} · ${view.labels === 'given' ? 'given labels' : `labels of ${result.reference}`}`;
  const chart = useMemo(
    () => comparisonChart(rows, { id: `impact-chart-${view.eval}-${view.labels}`, ariaLabel: `F1 per variant, ${title}`, height: Math.max(240, 40 + rows.length * 18) }),
    [rows, title, view],
  );
  const deltaClass = (r: (typeof rows)[number]) => (r.delta === null ? '' : !r.clear ? 'delta-flat' : r.delta > 0 ? 'delta-up' : 'delta-down');
  const deltaTitle = (r: (typeof rows)[number]) =>
    r.delta === null ? undefined : r.clear ? 'Beyond the seeds’ spread: this variant’s F1 range and the original’s do not overlap' : 'Within the seeds’ spread (the F1 ranges overlap, or one seed only): not a difference to act on';
  return (
    <section className="impact-view" data-testid={`impact-view-${view.eval}-${view.labels}`}>
      <h3>{title}</h3>
      <div className="impact-columns">
        <div className="table-scroll">
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
                <tr key={r.name}>
                  <th>
                    <abbr title={VARIANTS[r.name].title}>{r.name}</abbr>
                  </th>
                  <td>{r.trainSize.toLocaleString('en-US')}</td>
                  <td>{r.removed.toLocaleString('en-US')}</td>
                  <td>{r.relabelled.toLocaleString('en-US')}</td>
                  <td title={range(r.p)}>{f3(r.p.mean)}</td>
                  <td title={range(r.r)}>{f3(r.r.mean)}</td>
                  <td>
                    <b>{f3(r.f1.mean)}</b>
                  </td>
                  <td>{range(r.f1)}</td>
                  <td className={deltaClass(r)} title={deltaTitle(r)} data-clear={r.delta === null ? undefined : String(r.clear)}>
                    {signedDelta(r.delta)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <SpecChart spec={chart} dark={dark} testId="impact-chart" />
      </div>
      <details className="impact-spread">
        <summary>Precision and recall per seed range</summary>
        <table className="overlap impact-table" data-testid="impact-spread-table">
          <thead>
            <tr>
              <th>variant</th>
              <th>P min–max</th>
              <th>R min–max</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <th>{r.name}</th>
                <td>{range(r.p)}</td>
                <td>{range(r.r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p className="muted small">
        {result.model === 'builtin' ? 'Built-in model, fixed hyperparameters' : `Trainer ${result.model}`}, seeds {result.seeds.join(', ')}; P and R are means over the seeds. A difference to the original is coloured only when it is beyond the seeds’ spread (the two F1 ranges do not overlap); a grey one is within it.
      </p>
    </section>
  );
}
