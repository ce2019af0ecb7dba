import { useEffect, useState } from 'react';
import type { ReferenceSetInfo, StrategyName } from '../../../shared/domain';
import { call } from '../api/client';
import { isBrowserMode, uploadFile } from '../api/transport';
import { Dialog } from './Dialog';

const STRATEGIES: { name: StrategyName; title: string; help: string }[] = [
  { name: 'is', title: 'IS: intrinsic', help: 'Positives the model calls negative are anchors; their nearest negatives are flagged and relabelled (paper, TACRED-E/R).' },
  { name: 'es', title: 'ES: extrinsic', help: 'Negatives whose nearest clean examples mostly share one positive label (needs a clean set).' },
  { name: 'esp', title: 'ESP: extrinsic, positives too', help: 'As ES, and positives whose clean neighbours disagree with their label.' },
  { name: 'cl', title: 'CL: confident learning', help: 'cleanlab find_label_issues (prune_by_noise_rate) on out-of-sample probabilities.' },
  { name: 'knn', title: 'KNN: neighbour disagreement', help: 'Examples whose nearest neighbours mostly carry another label (label-free embedding).' },
];

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
  const [packageDir, setPackageDir] = useState('');
  const [predictionsFile, setPredictionsFile] = useState<File | null>(null);
  const [predictionsPath, setPredictionsPath] = useState('');
  const [strategies, setStrategies] = useState<Set<StrategyName>>(new Set(['is', 'cl', 'knn']));
  const [k, setK] = useState(3);
  const [folds, setFolds] = useState(5);
  const [seed, setSeed] = useState(13);
  const [clean, setClean] = useState<CleanChoice>('none');
  const [references, setReferences] = useState<ReferenceSetInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const needsClean = strategies.has('es') || strategies.has('esp');

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
      let path: string;
      let fileName: string;
      if (isBrowserMode) {
        if (!file) return;
        path = await uploadFile(file);
        fileName = file.name;
      } else {
        const chosen = await call('dialog:openFile', { title: 'Import a reference patch', filters: [{ name: 'Patch (JSON)', extensions: ['json'] }] });
        if (!chosen.path) return;
        path = chosen.path;
        fileName = chosen.path.split(/[\\/]/).pop() ?? 'reference';
      }
      const name = fileName.replace(/\.[^.]+$/, '').replace(/[^\w.-]/g, '_').slice(0, 64) || 'reference';
      const set = await call('reference:import', { path, name });
      setReferences((list) => [...list, set]);
      setClean(`reference:${set.name}`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function start() {
    setError(null);
    try {
      let modelSpec: { kind: 'builtin' } | { kind: 'package'; dir: string } | { kind: 'predictions'; file: string } = { kind: 'builtin' };
      if (model === 'package') modelSpec = { kind: 'package', dir: packageDir };
      if (model === 'predictions') modelSpec = { kind: 'predictions', file: isBrowserMode ? await uploadFile(predictionsFile!) : predictionsPath };
      const cleanSpec =
        !needsClean || clean === 'none'
          ? null
          : clean === 'decided'
            ? ({ kind: 'decided' } as const)
            : clean.startsWith('reference:')
              ? ({ kind: 'reference', name: clean.slice('reference:'.length) } as const)
              : ({ kind: 'split', name: clean.slice('split:'.length) } as const);
      const { jobId } = await call('ranking:start', { model: modelSpec, strategies: STRATEGIES.map((s) => s.name).filter((s) => strategies.has(s)), k, folds, seed, clean: cleanSpec });
      onStarted(jobId, `Rank (${[...strategies].map((s) => s.toUpperCase()).join(', ')})`);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const modelReady = model === 'builtin' || (model === 'package' && packageDir) || (model === 'predictions' && (isBrowserMode ? predictionsFile : predictionsPath));
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
          {model === 'package' && <input value={packageDir} onChange={(e) => setPackageDir(e.target.value)} placeholder="/path/to/model-package" aria-label="Model package folder" />}
          <label className="check">
            <input type="radio" name="model" checked={model === 'predictions'} onChange={() => setModel('predictions')} />
            Predictions computed elsewhere (JSON Lines with a labels header)
          </label>
          {model === 'predictions' &&
            (isBrowserMode ? (
              <input type="file" accept=".jsonl,.json" onChange={(e) => setPredictionsFile(e.target.files?.[0] ?? null)} aria-label="Predictions file" />
            ) : (
              <input value={predictionsPath} onChange={(e) => setPredictionsPath(e.target.value)} placeholder="/path/to/predictions.jsonl" aria-label="Predictions file" />
            ))}
        </fieldset>
        <fieldset className="fieldset">
          <legend>Strategies</legend>
          {STRATEGIES.map((s) => (
            <label key={s.name} className="check" title={s.help}>
              <input type="checkbox" checked={strategies.has(s.name)} onChange={() => toggle(s.name)} data-testid={`strategy-${s.name}`} />
              <span>
                <strong>{s.title}</strong> <span className="muted">{s.help}</span>
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
