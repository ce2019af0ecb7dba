import { useEffect, useState } from 'react';
import { paperDatasetName, type ExportPreview, type ResolvePolicy, type RunSummary, type StrategyName } from '../../../shared/domain';
import { call } from '../api/client';
import { isBrowserMode } from '../api/transport';
import { Dialog } from './Dialog';

interface Props {
  splits: string[];
  run: RunSummary | null;
  onClose: () => void;
  onStarted: (jobId: string, label: string) => void;
}


/** Writes a split: as imported, with the human decisions, or with a run's flags (the paper's datasets). */
export function ExportDialog({ splits, run, onClose, onStarted }: Props) {
  const [split, setSplit] = useState(splits[0] ?? '');
  const [format, setFormat] = useState<'json' | 'jsonl' | 'parquet'>('json');
  const [mode, setMode] = useState<'original' | 'reviewed' | 'auto'>('reviewed');
  const [apply, setApply] = useState<'eliminate' | 'reannotate' | 'both'>('both');
  const [strategy, setStrategy] = useState<StrategyName>((run?.strategies[0] as StrategyName | undefined) ?? 'is');
  // Off by default: an automatic export is exactly the paper's dataset unless asked otherwise.
  const [override, setOverride] = useState(false);
  const [patch, setPatch] = useState<'' | 'tacrev' | 'retacred'>('');
  const [resolve, setResolve] = useState<ResolvePolicy>('adjudicated');
  const humanDecisions = mode === 'reviewed' || (mode === 'auto' && override);
  const [error, setError] = useState<string | null>(null);
  const effectiveApply = mode === 'auto' && apply === 'both' ? 'eliminate' : apply;
  // What the export would do, counted by the export's own plan before it runs.
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  useEffect(() => {
    setPreview(null);
    if (!split || (mode === 'auto' && !run)) return;
    let current = true;
    call('export:preview', { split, mode, apply: effectiveApply, run: mode === 'auto' ? run?.id : undefined, strategy: mode === 'auto' ? strategy : undefined, decisionsOverride: mode === 'auto' ? override : false, resolve })
      .then((p) => current && setPreview(p), () => undefined);
    return () => {
      current = false;
    };
  }, [split, mode, effectiveApply, run, strategy, override, resolve]);

  async function start() {
    setError(null);
    try {
      let destination: string | undefined;
      if (!isBrowserMode) {
        const chosen = await call('dialog:saveFile', { title: 'Export split', defaultName: `${split}${mode === 'original' ? '' : mode === 'auto' ? `.${strategy}.${effectiveApply}` : `.reviewed.${apply}`}.${format}` });
        if (!chosen.file) return;
        destination = chosen.file.token;
      }
      const { jobId } = await call('export:start', {
        split,
        format,
        destination,
        mode,
        apply: effectiveApply,
        run: mode === 'auto' ? run?.id : undefined,
        strategy: mode === 'auto' ? strategy : undefined,
        decisionsOverride: mode === 'auto' ? override : false,
        patch: patch || undefined,
        resolve,
      });
      onStarted(jobId, `Export ${split} (${mode}${mode === 'auto' ? ` ${strategy.toUpperCase()}` : ''}, ${format})`);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const paperName = mode === 'auto' ? paperDatasetName(strategy, effectiveApply === 'eliminate' ? 'eliminate' : 'reannotate') : null;
  return (
    <Dialog title="Export a split" onClose={onClose} testId="export-dialog">
      <div className="form">
        <div className="row wrap">
          <label className="field">
            <span>Split</span>
            <select data-testid="export-split" value={split} onChange={(e) => setSplit(e.target.value)}>
              {splits.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Format</span>
            <select data-testid="export-format" value={format} onChange={(e) => setFormat(e.target.value as 'json' | 'jsonl' | 'parquet')}>
              <option value="json">TACRED JSON</option>
              <option value="jsonl">JSON Lines</option>
              <option value="parquet">Parquet</option>
            </select>
          </label>
        </div>
        <fieldset className="fieldset">
          <legend>Contents</legend>
          <label className="check">
            <input type="radio" name="mode" checked={mode === 'reviewed'} onChange={() => setMode('reviewed')} data-testid="export-mode-reviewed" />
            Reviewed: apply the human decisions (eliminate drops, reannotate relabels, keep leaves)
          </label>
          <label className="check">
            <input type="radio" name="mode" checked={mode === 'auto'} disabled={!run} onChange={() => setMode('auto')} data-testid="export-mode-auto" />
            Automatic: apply run {run ? `#${run.id}` : '(select a run first)'}'s flags without review (the paper's datasets)
          </label>
          <label className="check">
            <input type="radio" name="mode" checked={mode === 'original'} onChange={() => setMode('original')} data-testid="export-mode-original" />
            Original: the split as imported
          </label>
        </fieldset>
        {mode !== 'original' && (
          <div className="row wrap">
            <label className="field">
              <span>Apply</span>
              <select value={apply} onChange={(e) => setApply(e.target.value as typeof apply)} data-testid="export-apply">
                <option value="eliminate">Eliminations only (E)</option>
                <option value="reannotate">Relabels only (R)</option>
                {mode === 'reviewed' && <option value="both">Both</option>}
              </select>
            </label>
            {mode === 'auto' && run && (
              <label className="field">
                <span>Strategy</span>
                <select value={strategy} onChange={(e) => setStrategy(e.target.value as StrategyName)} data-testid="export-strategy">
                  {run.strategies.map((s) => (
                    <option key={s} value={s}>
                      {s.toUpperCase()}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="field">
              <span>Also write a patch</span>
              <select value={patch} onChange={(e) => setPatch(e.target.value as typeof patch)} data-testid="export-patch">
                <option value="">No</option>
                <option value="tacrev">TACRev style [{'{'}id, relation{'}'}]</option>
                <option value="retacred">Re-TACRED style {'{'}id: label{'}'}</option>
              </select>
            </label>
          </div>
        )}
        {mode === 'auto' && (
          <label className="check">
            <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} data-testid="export-override" />
            Human decisions override the flags where they exist
          </label>
        )}
        {/* The policy only matters where annotators disagree: a single annotator never sees it. */}
        {humanDecisions && (preview?.disagreements ?? 0) > 0 && (
          <label className="field">
            <span>Where annotators disagree</span>
            <select value={resolve} onChange={(e) => setResolve(e.target.value as ResolvePolicy)} data-testid="export-resolve">
              <option value="adjudicated">The adjudication, else as imported (listed in the manifest)</option>
              <option value="majority">The adjudication, else the annotators' majority</option>
              <option value="unanimous">Only what every annotator agrees on</option>
            </select>
          </label>
        )}
        {paperName && <p className="hint">This writes {paperName} for the split, with a manifest and a decisions CSV beside it.</p>}
        {preview && (
          <p className="hint" data-testid="export-preview">
            {preview.count.toLocaleString()} of {preview.before.toLocaleString()} records written: {preview.eliminated.toLocaleString()} dropped, {preview.relabelled.toLocaleString()} relabelled.
            {preview.changedByDecisions !== null && ` Your decisions change ${preview.changedByDecisions.toLocaleString()} of these records against the flags alone${effectiveApply === 'eliminate' ? ' (an E dataset never relabels: a reannotated example is dropped)' : ''}.`}
            {!!preview.disagreements && ` Annotators disagree on ${preview.disagreements.toLocaleString()} ${preview.disagreements === 1 ? 'example' : 'examples'}.`}
          </p>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="actions">
        <button type="button" className="ghost" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" data-testid="export-start" disabled={!split} onClick={start}>
          Export
        </button>
      </div>
    </Dialog>
  );
}
