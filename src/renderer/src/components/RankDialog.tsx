import { useEffect, useState } from 'react';
import type { ChannelInput } from '../../../shared/contract';
import type { FileChoice } from '../../../shared/files';
import { defaultStrategies, nameFromFileName, type ReferenceSetInfo } from '../../../shared/domain';
import { STRATEGIES, STRATEGY_NAMES, strategiesNeedingCleanSet, type StrategyName } from '../../../shared/strategies';
import { call } from '../api/client';
import { isBrowserMode, uploadFile, uploadFolder } from '../api/transport';
import { Dialog } from './Dialog';

type ModelChoice = 'builtin' | 'package' | 'predictions';
type CleanChoice = 'none' | 'decided' | `reference:${string}` | `split:${string}`;

interface Props {
  splits: string[];
  onClose: () => void;
  onStarted: (jobId: string, label: string) => void;
}

/** Every parameter of a run is visible here and stored with the run. */
export function RankDialog({ splits, onClose, onStarted }: Props) {
  const [model, setModel] = useState<ModelChoice>('builtin');
  // Desktop: what the dialogs chose (tokens). Browser mode: the files to upload when ranking starts.
  const [packageChoice, setPackageChoice] = useState<FileChoice | null>(null);
  const [packageFiles, setPackageFiles] = useState<File[]>([]);
  const [predictionsChoice, setPredictionsChoice] = useState<FileChoice | null>(null);
  const [predictionsFile, setPredictionsFile] = useState<File | null>(null);
  const [strategies, setStrategies] = useState<Set<StrategyName>>(new Set(defaultStrategies(false)));
  const [k, setK] = useState(3);
  const [folds, setFolds] = useState(5);
  const [seed, setSeed] = useState(13);
  const [clean, setClean] = useState<CleanChoice>('none');
  const [references, setReferences] = useState<ReferenceSetInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const needsClean = strategiesNeedingCleanSet([...strategies]).length > 0;

  useEffect(() => {
    call('reference:list', {}).then(setReferences, () => setReferences([]));
  }, []);

  const toggle = (name: StrategyName) =>
    setStrategies((current) => {
      const next = new Set(current);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  async function importReference(file: File | null) {
    setError(null);
    try {
      let chosen: FileChoice | null;
      if (isBrowserMode) chosen = file ? await uploadFile(file) : null;
      else chosen = (await call('dialog:openFile', { title: 'Import a reference patch', filters: [{ name: 'Patch (JSON)', extensions: ['json'] }] })).file;
      if (!chosen) return;
      const input = { file: chosen.token, name: nameFromFileName(chosen.name, 'reference') };
      let set;
      try {
        set = await call('reference:import', input);
      } catch (e) {
        // Ids this project does not hold or labels it does not know: the user decides.
        const message = (e as Error).message;
        if (!/import it anyway/.test(message) || !window.confirm(`${message.replace(/ \(import it anyway[^)]*\)$/, '')}.\n\nImport it anyway?`)) throw e;
        set = await call('reference:import', { ...input, allowUnknown: true });
      }
      setReferences((list) => [...list, set]);
      setClean(`reference:${set.name}`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function start() {
    setError(null);
    try {
      let modelSpec: ChannelInput<'ranking:start'>['model'] = { kind: 'builtin' };
      if (model === 'package') modelSpec = { kind: 'package', dir: (isBrowserMode ? await uploadFolder(packageFiles) : packageChoice!).token };
      if (model === 'predictions') modelSpec = { kind: 'predictions', file: (isBrowserMode ? await uploadFile(predictionsFile!) : predictionsChoice!).token };
      const cleanSpec =
        !needsClean || clean === 'none'
          ? null
          : clean === 'decided'
            ? ({ kind: 'decided' } as const)
            : clean.startsWith('reference:')
              ? ({ kind: 'reference', name: clean.slice('reference:'.length) } as const)
              : ({ kind: 'split', name: clean.slice('split:'.length) } as const);
      const { jobId } = await call('ranking:start', { model: modelSpec, strategies: STRATEGY_NAMES.filter((s) => strategies.has(s)), k, folds, seed, clean: cleanSpec });
      onStarted(jobId, `Rank (${[...strategies].map((s) => s.toUpperCase()).join(', ')})`);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const modelReady =
    model === 'builtin' || (model === 'package' && (isBrowserMode ? packageFiles.length > 0 : packageChoice)) || (model === 'predictions' && (isBrowserMode ? predictionsFile : predictionsChoice));
  const canStart = strategies.size > 0 && modelReady && (!needsClean || clean !== 'none');

  return (
    <Dialog title="Rank likely label errors" onClose={onClose} testId="rank-dialog">
      <div className="form">
        <fieldset className="fieldset">
          <legend>Model</legend>
          <label className="check">
            <input type="radio" name="model" checked={model === 'builtin'} onChange={() => setModel('builtin')} data-testid="model-builtin" />
            Built-in model, trained here on this project with cross-fitting (works offline)
          </label>
          <label className="check">
            <input type="radio" name="model" checked={model === 'package'} onChange={() => setModel('package')} />
            A model package folder (model.onnx, tokenizer.json, winnow-model.json)
          </label>
          {model === 'package' &&
            (isBrowserMode ? (
              <input type="file" multiple onChange={(e) => setPackageFiles([...(e.target.files ?? [])])} aria-label="Model package files" />
            ) : (
              <div className="row">
                <button type="button" onClick={async () => setPackageChoice((await call('dialog:openFolder', { title: 'Model package folder' })).file)}>Choose folder…</button>
                <span className="mono">{packageChoice?.name ?? 'No folder chosen'}</span>
              </div>
            ))}
          <label className="check">
            <input type="radio" name="model" checked={model === 'predictions'} onChange={() => setModel('predictions')} />
            Predictions computed elsewhere (JSON Lines with a labels header)
          </label>
          {model === 'predictions' &&
            (isBrowserMode ? (
              <input type="file" accept=".jsonl,.json" onChange={(e) => setPredictionsFile(e.target.files?.[0] ?? null)} aria-label="Predictions file" />
            ) : (
              <div className="row">
                <button type="button" onClick={async () => setPredictionsChoice((await call('dialog:openFile', { title: 'Predictions file', filters: [{ name: 'Predictions', extensions: ['jsonl', 'json'] }] })).file)}>Choose file…</button>
                <span className="mono">{predictionsChoice?.name ?? 'No file chosen'}</span>
              </div>
            ))}
        </fieldset>
        <fieldset className="fieldset">
          <legend>Strategies</legend>
          {STRATEGY_NAMES.map((name) => (
            <label key={name} className="check" title={STRATEGIES[name].help}>
              <input type="checkbox" checked={strategies.has(name)} onChange={() => toggle(name)} data-testid={`strategy-${name}`} />
              <span>
                <strong>{STRATEGIES[name].title}</strong> <span className="muted">{STRATEGIES[name].help}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {needsClean && (
          <div className="row wrap">
            <label className="field">
              <span>Clean set (trusted examples for ES/ESP)</span>
              <select value={clean} onChange={(e) => setClean(e.target.value as CleanChoice)} data-testid="clean-set">
                <option value="none">Choose…</option>
                <option value="decided">Examples already decided in this project</option>
                {references.map((r) => (
                  <option key={r.name} value={`reference:${r.name}`}>
                    Reference “{r.name}” ({r.matched} examples)
                  </option>
                ))}
                {splits.map((s) => (
                  <option key={s} value={`split:${s}`}>
                    Whole split “{s}”
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Import a reference patch (TACRev / Re-TACRED)</span>
              {isBrowserMode ? (
                <input type="file" accept=".json" onChange={(e) => void importReference(e.target.files?.[0] ?? null)} data-testid="reference-file" />
              ) : (
                <button type="button" onClick={() => void importReference(null)}>Choose patch…</button>
              )}
            </label>
          </div>
        )}
        <div className="row">
          <label className="field">
            <span>Neighbours k</span>
            <input type="number" min={1} max={100} value={k} onChange={(e) => setK(Number(e.target.value))} />
          </label>
          <label className="field">
            <span>Folds</span>
            <input type="number" min={2} max={20} value={folds} disabled={model !== 'builtin'} onChange={(e) => setFolds(Number(e.target.value))} />
          </label>
          <label className="field">
            <span>Seed</span>
            <input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
          </label>
        </div>
      </div>
      {error && <p className="error" role="alert" data-testid="rank-error">{error}</p>}
      <div className="actions">
        <button type="button" className="ghost" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" disabled={!canStart} onClick={start} data-testid="rank-start">
          Start ranking
        </button>
      </div>
    </Dialog>
  );
}
