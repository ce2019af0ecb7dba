import { useEffect, useMemo, useState } from 'react';
import type { CompareResult, ReferenceSetInfo, ReportData } from '../../../shared/domain';
import { reportContent, type ReportSection, type ReportTable } from '../../../shared/report-content';
import { call } from '../api/client';
import { isBrowserMode } from '../api/transport';
import { downloadOutputs } from '../api/outputs';
import { formatCount, plural } from '../app/format';
import type { ToastFn } from '../app/useToasts';
import { useEscapeToLeave } from '../app/useEscapeToLeave';
import { SpecChart } from './SpecChart';

function Table({ table }: { table: ReportTable }) {
  const body = (
    <div className="table-scroll">
    <table className={`report-table${table.text ? ' text' : ''}`} id={table.id} data-testid={table.id}>
      {table.caption && !table.folded && <caption>{table.caption}</caption>}
      <thead>
        <tr>
          {table.head.map((h, i) => (
            <th key={i}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, r) => (
          <tr key={r}>
            {row.map((cell, c) => (
              <td key={c}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
  return table.folded ? (
    <details>
      <summary>{table.caption ?? `Table (${table.rows.length} rows)`}</summary>
      {body}
    </details>
  ) : (
    body
  );
}

function Section({ section, dark }: { section: ReportSection; dark: boolean }) {
  return (
    <section className={`report-section${section.wide ? ' wide' : ''}`} id={`section-${section.id}`} data-testid={`report-section-${section.id}`}>
      <h2>{section.title}</h2>
      {section.intro.map((p, i) => (
        <p key={i} className="muted">
          {p}
        </p>
      ))}
      {section.cards && (
        <div className="report-cards">
          {section.cards.map((c) => (
            <div className="report-card" key={c.label}>
              <b data-testid={c.testId}>{c.value}</b>
              {c.label}
            </div>
          ))}
        </div>
      )}
      {section.charts.map((c) => (
        <SpecChart key={c.id} spec={c} dark={dark} />
      ))}
      {section.tables.map((t) => (
        <Table key={t.id} table={t} />
      ))}
    </section>
  );
}

/**
 * The run's report, drawn from the same content as the saved HTML file (shared/report-content):
 * what is on screen is what is saved.
 */
export function ReportView({
  run,
  dark,
  comparison,
  onComparison,
  onClose,
  onOpenImpact,
  toast,
}: {
  run: number;
  dark: boolean;
  /** The comparison to show (the one on the impact screen), null for the run's latest. */
  comparison: number | null;
  onComparison: (id: number) => void;
  onClose: () => void;
  onOpenImpact?: () => void;
  toast: ToastFn;
}) {
  const [references, setReferences] = useState<ReferenceSetInfo[]>([]);
  const [reference, setReference] = useState<string>('');
  const [comparisons, setComparisons] = useState<CompareResult[]>([]);
  const [data, setData] = useState<ReportData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('reference:list', {}).then(setReferences, () => setReferences([]));
  }, []);
  useEffect(() => {
    call('compare:list', { run }).then(setComparisons, () => setComparisons([]));
  }, [run]);
  // None chosen: the run's latest, as the server picks it.
  const shownComparison = comparison ?? undefined;
  useEffect(() => {
    setData(null);
    setError(null);
    call('report:data', { run, reference: reference || undefined, comparison: shownComparison }).then(setData, (e: Error) => setError(e.message));
  }, [run, reference, shownComparison]);
  useEscapeToLeave(onClose);
  const content = useMemo(() => (data ? reportContent(data) : null), [data]);

  async function save() {
    try {
      let destination: string | undefined;
      if (!isBrowserMode) {
        const chosen = await call('dialog:saveFile', { title: 'Save report', defaultName: `winnow-report-run${run}.html` });
        if (!chosen.file) return;
        destination = chosen.file.token;
      }
      const saved = await call('report:save', { run, reference: reference || undefined, comparison: shownComparison, destination });
      if (saved.downloadUrl) {
        toast('info', `Report saved as ${saved.name}`, [{ label: saved.name, href: saved.downloadUrl }]);
        downloadOutputs([saved]);
      } else toast('info', `Report saved to ${saved.path}`);
    } catch (e) {
      toast('error', (e as Error).message);
    }
  }

  return (
    <div className="report" data-testid="report-view">
      <div className="report-head">
        <h1>Report · run #{run}</h1>
        <label className="field inline-field">
          <span>Evaluate against</span>
          <select value={reference} onChange={(e) => setReference(e.target.value)} data-testid="report-reference">
            <option value="">No reference</option>
            {references.map((r) => (
              <option key={r.name} value={r.name}>
                {r.name} ({formatCount(r.matched)} examples)
              </option>
            ))}
          </select>
        </label>
        {comparisons.length > 1 && (
          <label className="field inline-field">
            <span>Comparison</span>
            <select value={shownComparison ?? comparisons[0]!.id} onChange={(e) => onComparison(Number(e.target.value))} data-testid="report-comparison">
              {comparisons.map((c) => (
                <option key={c.id} value={c.id}>
                  #{c.id} · {plural(c.variants.length, 'variant')} × {plural(c.seeds.length, 'seed')} · {c.createdAt.slice(0, 16).replace('T', ' ')} UTC
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="spacer" />
        {onOpenImpact && (
          <button type="button" onClick={onOpenImpact} data-testid="report-open-impact">
            Cleaning impact…
          </button>
        )}
        <button type="button" onClick={() => void save()} data-testid="report-save">Save as HTML…</button>
        <button type="button" className="ghost" onClick={onClose}>Back to the grid (Esc)</button>
      </div>
      {error && <p className="error">{error}</p>}
      {!content ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="muted small">{content.subtitle}</p>
          <div className="report-cards" data-testid="report-cards">
            {content.cards.map((c) => (
              <div className="report-card" key={c.label}>
                <b>{c.value}</b>
                {c.label}
              </div>
            ))}
          </div>
          <div className="report-sections">
            {content.sections.map((s) => (
              <Section key={s.id} section={s} dark={dark} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
