import { useEffect, useState, type ReactNode } from 'react';
import type { ChannelInput } from '../../../shared/contract';
import type { FileChoice } from '../../../shared/files';
import { defaultStrategies, nameFromFileName, type ReferenceSetInfo, type RunSummary } from '../../../shared/domain';
import {
  ClFilterBy,
  ClPositives,
  ClScore,
  EmbeddingFit,
  ProbabilityFit,
  EXECUTION_PROVIDERS,
  IsAnchors,
  NeighbourMode,
  RANK_DEFAULTS,
  RANK_PARAMETER_INFO as INFO,
  type CleanSetSpec,
  type ExecutionProvider,
  type RankParameterName,
  RankParameters,
} from '../../../shared/ranking';
import { STRATEGIES, STRATEGY_NAMES, strategiesNeedingCleanSet, type StrategyName } from '../../../shared/strategies';
import { call } from '../api/client';
import { isBrowserMode, uploadFile, uploadFolder } from '../api/transport';
import { Dialog } from './Dialog';

type ModelChoice = 'builtin' | 'package' | 'predictions';
/** A clean-set source as a checkbox value: `split:dev`, `reference:tacrev`, `decided`. */
type CleanKey = 'decided' | `reference:${string}` | `split:${string}`;
type PredictionsPart = 'file' | 'labels' | 'ids' | 'embeddings';

interface Props {
  splits: string[];
  /** The run whose parameters the dialog starts from (the one on show, else the newest): ranking again is usually a small change. */
  previous?: RunSummary | null;
  onClose: () => void;
  onStarted: (jobId: string, label: string) => void;
}

/** A stored run's parameters as the dialog's starting point; none (the defaults) when they no longer parse. */
function startingPoint(previous: RunSummary | null | undefined): RankParameters | null {
  const parsed = previous ? RankParameters.safeParse(previous.parameters) : null;
  return parsed?.success ? parsed.data : null;
}

function cleanKey(spec: CleanSetSpec): CleanKey {
  return spec.kind === 'decided' ? 'decided' : `${spec.kind}:${spec.name}`;
}

function cleanSpec(key: CleanKey): CleanSetSpec {
  if (key === 'decided') return { kind: 'decided' };
  return key.startsWith('reference:') ? { kind: 'reference', name: key.slice('reference:'.length) } : { kind: 'split', name: key.slice('split:'.length) };
}

/** A label and tooltip from the one description of the rank parameters (shared/ranking.ts). */
function Labelled({ name, children }: { name: RankParameterName; children: ReactNode }) {
  return (
    <label className="field" title={INFO[name].help}>
      <span>{INFO[name].label}</span>
      {children}
    </label>
  );
}

const PREDICTIONS_PARTS: { part: PredictionsPart; label: string; accept: string; extensions: string[] }[] = [
  { part: 'file', label: 'Predictions: JSON Lines, CSV/TSV or numpy .npy', accept: '.jsonl,.json,.csv,.tsv,.npy', extensions: ['jsonl', 'json', 'csv', 'tsv', 'npy'] },
  { part: 'labels', label: 'Labels of the .npy columns (labels.json / labels.txt)', accept: '.json,.txt', extensions: ['json', 'txt'] },
  { part: 'ids', label: 'Example ids of the .npy rows (ids.txt)', accept: '.txt', extensions: ['txt'] },
  { part: 'embeddings', label: 'Embeddings (.npy, optional)', accept: '.npy', extensions: ['npy'] },
];

/** Every parameter of a run is visible here and stored with the run. */
export function RankDialog({ splits, previous, onClose, onStarted }: Props) {
  const [from] = useState(() => startingPoint(previous));
  const [model, setModel] = useState<ModelChoice>('builtin');
  // Desktop: what the dialogs chose (tokens). Browser mode: the files to upload when ranking starts.
  const [packageChoice, setPackageChoice] = useState<FileChoice | null>(null);
  const [packageFiles, setPackageFiles] = useState<File[]>([]);
  const [predictionChoices, setPredictionChoices] = useState<Partial<Record<PredictionsPart, FileChoice>>>({});
  const [predictionFiles, setPredictionFiles] = useState<Partial<Record<PredictionsPart, File>>>({});
  const [strategies, setStrategies] = useState<Set<StrategyName>>(() => new Set(from?.strategies ?? defaultStrategies(false)));
  const [k, setK] = useState<number>(from?.k ?? RANK_DEFAULTS.k);
  const [folds, setFolds] = useState<number>(from?.folds ?? RANK_DEFAULTS.folds);
  const [repeats, setRepeats] = useState<number>(from?.repeats ?? RANK_DEFAULTS.repeats);
  const [seed, setSeed] = useState<number>(from?.seed ?? RANK_DEFAULTS.seed);
  const [clean, setClean] = useState<Set<CleanKey>>(() => new Set((from?.clean ?? []).map(cleanKey)));
  const [cleanReference, setCleanReference] = useState(from?.cleanReference ?? '');
  const [rankedSplits, setRankedSplits] = useState<Set<string>>(() => new Set((from?.splits ?? []).filter((s) => splits.includes(s))));
  const [isAnchors, setIsAnchors] = useState<IsAnchors>(from?.isAnchors ?? 'trusted');
  const [isMinMargin, setIsMinMargin] = useState<number>(from?.isMinMargin ?? RANK_DEFAULTS.isMinMargin);
  const [embeddingFit, setEmbeddingFit] = useState<EmbeddingFit>(from?.embeddingFit ?? 'cleaned');
  const [probabilityFit, setProbabilityFit] = useState<ProbabilityFit>(from?.probabilityFit ?? 'auto');
  const [clFilterBy, setClFilterBy] = useState<ClFilterBy>(from?.clFilterBy ?? 'prune_by_noise_rate');
  const [clScore, setClScore] = useState<ClScore>(from?.clScore ?? 'normalized_margin');
  const [clMinMargin, setClMinMargin] = useState<number>(from?.clMinMargin ?? RANK_DEFAULTS.clMinMargin);
  const [clPositives, setClPositives] = useState<ClPositives>(from?.clPositives ?? 'other-relations');
  const [knnK, setKnnK] = useState<number>(from?.knnK ?? RANK_DEFAULTS.knnK);
  const [knnThreshold, setKnnThreshold] = useState<number>(from?.knnThreshold ?? RANK_DEFAULTS.knnThreshold);
  const [knnMinMargin, setKnnMinMargin] = useState<number>(from?.knnMinMargin ?? RANK_DEFAULTS.knnMinMargin);
  const [neighbours, setNeighbours] = useState<NeighbourMode>(from?.neighbours ?? 'auto');
  const [provider, setProvider] = useState<ExecutionProvider | ''>(from?.providers?.length === 1 ? from.providers[0]! : '');
  const [references, setReferences] = useState<ReferenceSetInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const needsClean = strategiesNeedingCleanSet([...strategies]).length > 0;

  useEffect(() => {
    call('reference:list', {}).then(setReferences, () => setReferences([]));
  }, []);

  const toggle = <T,>(set: (f: (current: Set<T>) => Set<T>) => void, value: T) =>
    set((current) => {
      const next = new Set(current);
      if (next.has(value)) next.delete(value);
      else next.add(value);
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
      setClean((current) => new Set([...current, `reference:${set.name}` as CleanKey]));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function predictionToken(part: PredictionsPart): Promise<string | undefined> {
    if (isBrowserMode) {
      const file = predictionFiles[part];
      return file ? (await uploadFile(file)).token : undefined;
    }
    return predictionChoices[part]?.token;
  }

  async function start() {
    setError(null);
    try {
      let modelSpec: ChannelInput<'ranking:start'>['model'] = { kind: 'builtin' };
      if (model === 'package') modelSpec = { kind: 'package', dir: (isBrowserMode ? await uploadFolder(packageFiles) : packageChoice!).token };
      if (model === 'predictions') {
        modelSpec = { kind: 'predictions', file: (await predictionToken('file'))!, labels: await predictionToken('labels'), ids: await predictionToken('ids'), embeddings: await predictionToken('embeddings') };
      }
      const { jobId } = await call('ranking:start', {
        model: modelSpec,
        strategies: STRATEGY_NAMES.filter((s) => strategies.has(s)),
        k,
        folds,
        repeats,
        seed,
        clean: needsClean ? [...clean].map(cleanSpec) : [],
        cleanReference: needsClean && cleanReference ? cleanReference : undefined,
        splits: rankedSplits.size ? splits.filter((s) => rankedSplits.has(s)) : undefined,
        isAnchors,
        isMinMargin,
        embeddingFit,
        probabilityFit,
        clFilterBy,
        clScore,
        clMinMargin,
        clPositives,
        knnK,
        knnThreshold,
        knnMinMargin,
        neighbours,
        providers: provider ? [provider] : undefined,
      });
      onStarted(jobId, `Rank (${[...strategies].map((s) => s.toUpperCase()).join(', ')})`);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const predictionsReady = isBrowserMode ? predictionFiles.file : predictionChoices.file;
  const modelReady = model === 'builtin' || (model === 'package' && (isBrowserMode ? packageFiles.length > 0 : packageChoice)) || (model === 'predictions' && predictionsReady);
  const cleanNeeders = strategiesNeedingCleanSet([...strategies]);
  // Why Start is disabled, said beside it.
  const blocked =
    strategies.size === 0
      ? 'Tick at least one strategy.'
      : !modelReady
        ? model === 'package'
          ? 'Choose the model package folder.'
          : 'Choose the predictions file.'
        : needsClean && clean.size === 0
          ? `${cleanNeeders.map((s) => s.toUpperCase()).join(' and ')} ${cleanNeeders.length === 1 ? 'needs' : 'need'} a clean set: tick one under Clean set.`
          : null;
  const canStart = blocked === null;
  const cleanChoices: { key: CleanKey; text: string }[] = [
    ...splits.map((s) => ({ key: `split:${s}` as CleanKey, text: `Split “${s}”` })),
    ...references.map((r) => ({ key: `reference:${r.name}` as CleanKey, text: `Examples of reference “${r.name}” (${r.matched})` })),
    { key: 'decided', text: 'Examples already decided in this project' },
  ];
  const uses = (name: StrategyName) => strategies.has(name);

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
            <input type="radio" name="model" checked={model === 'predictions'} onChange={() => setModel('predictions')} data-testid="model-predictions" />
            Predictions computed elsewhere (Winnow JSON Lines, a CSV/TSV with an id column, or a numpy pred_probs .npy)
          </label>
          {model === 'predictions' &&
            PREDICTIONS_PARTS.map(({ part, label, accept, extensions }) => (
              <label key={part} className="field">
                <span>{label}</span>
                {isBrowserMode ? (
                  <input type="file" accept={accept} data-testid={`predictions-${part}`} onChange={(e) => setPredictionFiles((f) => ({ ...f, [part]: e.target.files?.[0] }))} />
                ) : (
                  <div className="row">
                    <button type="button" onClick={async () => {
                      const file = (await call('dialog:openFile', { title: label, filters: [{ name: label, extensions }] })).file;
                      setPredictionChoices((c) => ({ ...c, [part]: file ?? undefined }));
                    }}>Choose file…</button>
                    <span className="mono">{predictionChoices[part]?.name ?? 'No file chosen'}</span>
                  </div>
                )}
              </label>
            ))}
        </fieldset>
        <fieldset className="fieldset">
          <legend>Strategies</legend>
          {STRATEGY_NAMES.map((name) => (
            <label key={name} className="check" title={STRATEGIES[name].help}>
              <input type="checkbox" checked={strategies.has(name)} onChange={() => toggle(setStrategies, name)} data-testid={`strategy-${name}`} />
              <span>
                <strong>{STRATEGIES[name].title}</strong> <span className="muted">{STRATEGIES[name].help}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {needsClean && (
          <fieldset className="fieldset" data-testid="clean-set">
            <legend title={INFO.clean.help}>{INFO.clean.label} (trusted examples for ES/ESP; not ranked)</legend>
            {cleanChoices.map(({ key, text }) => (
              <label key={key} className="check">
                <input type="checkbox" checked={clean.has(key)} onChange={() => toggle(setClean, key)} data-testid={`clean-${key}`} />
                {text}
              </label>
            ))}
            <div className="row wrap">
              <Labelled name="cleanReference">
                <select value={cleanReference} onChange={(e) => setCleanReference(e.target.value)} data-testid="clean-reference">
                  <option value="">None: the given labels</option>
                  {references.map((r) => (
                    <option key={r.name} value={r.name}>Reference “{r.name}”</option>
                  ))}
                </select>
              </Labelled>
              <label className="field">
                <span>Import a reference patch (TACRev / Re-TACRED)</span>
                {isBrowserMode ? (
                  <input type="file" accept=".json" onChange={(e) => void importReference(e.target.files?.[0] ?? null)} data-testid="reference-file" />
                ) : (
                  <button type="button" onClick={() => void importReference(null)}>Choose patch…</button>
                )}
              </label>
            </div>
          </fieldset>
        )}
        <fieldset className="fieldset">
          <legend title={INFO.splits.help}>{INFO.splits.label} (none ticked: every example outside the clean set)</legend>
          <div className="row wrap">
            {splits.map((s) => (
              <label key={s} className="check inline">
                <input type="checkbox" checked={rankedSplits.has(s)} onChange={() => toggle(setRankedSplits, s)} data-testid={`rank-split-${s}`} />
                {s}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row wrap">
          <Labelled name="k">
            <input type="number" min={1} max={100} value={k} onChange={(e) => setK(Number(e.target.value))} />
          </Labelled>
          <Labelled name="folds">
            <input type="number" min={2} max={20} value={folds} disabled={model !== 'builtin'} onChange={(e) => setFolds(Number(e.target.value))} />
          </Labelled>
          <Labelled name="repeats">
            <select value={repeats} disabled={model !== 'builtin'} onChange={(e) => setRepeats(Number(e.target.value))} data-testid="repeats">
              {[1, 2, 3, 4, 5].map((r) => (
                <option key={r} value={r}>{r}</option>
              ))}
            </select>
          </Labelled>
          <Labelled name="seed">
            <input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
          </Labelled>
          <Labelled name="providers">
            <select value={provider} onChange={(e) => setProvider(e.target.value as ExecutionProvider | '')} data-testid="provider">
              <option value="">Best available</option>
              {EXECUTION_PROVIDERS.map((p) => (
                <option key={p} value={p}>{p}</option>
              ))}
            </select>
          </Labelled>
        </div>
        <div className="row wrap">
          <Labelled name="isAnchors">
            <select value={isAnchors} disabled={!uses('is')} onChange={(e) => setIsAnchors(e.target.value as IsAnchors)} data-testid="is-anchors">
              {IsAnchors.options.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          </Labelled>
          <Labelled name="isMinMargin">
            <input type="number" min={-1} max={1} step={0.1} value={isMinMargin} disabled={!uses('is')} onChange={(e) => setIsMinMargin(Number(e.target.value))} data-testid="is-min-margin" />
          </Labelled>
          <Labelled name="embeddingFit">
            <select value={embeddingFit} disabled={model !== 'builtin'} onChange={(e) => setEmbeddingFit(e.target.value as EmbeddingFit)}>
              {EmbeddingFit.options.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          </Labelled>
          <Labelled name="probabilityFit">
            <select value={probabilityFit} disabled={model !== 'builtin'} onChange={(e) => setProbabilityFit(e.target.value as ProbabilityFit)} data-testid="probability-fit">
              {ProbabilityFit.options.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          </Labelled>
          <Labelled name="knnK">
            <input type="number" min={1} max={100} value={knnK} disabled={!uses('knn')} onChange={(e) => setKnnK(Number(e.target.value))} />
          </Labelled>
          <Labelled name="knnThreshold">
            <input type="number" min={0.5} max={0.99} step={0.05} value={knnThreshold} disabled={!uses('knn')} onChange={(e) => setKnnThreshold(Number(e.target.value))} />
          </Labelled>
          <Labelled name="knnMinMargin">
            <input type="number" min={-1} max={1} step={0.1} value={knnMinMargin} disabled={!uses('knn')} onChange={(e) => setKnnMinMargin(Number(e.target.value))} data-testid="knn-min-margin" />
          </Labelled>
          <Labelled name="neighbours">
            <select data-testid="rank-neighbours" value={neighbours} onChange={(e) => setNeighbours(NeighbourMode.parse(e.target.value))}>
              <option value="auto">Auto</option>
              <option value="exact">Exact</option>
              <option value="approx">Approximate (IVF)</option>
            </select>
          </Labelled>
        </div>
        <div className="row wrap">
          <Labelled name="clFilterBy">
            <select value={clFilterBy} disabled={!uses('cl')} onChange={(e) => setClFilterBy(e.target.value as ClFilterBy)} data-testid="cl-filter">
              {ClFilterBy.options.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          </Labelled>
          <Labelled name="clScore">
            <select value={clScore} disabled={!uses('cl')} onChange={(e) => setClScore(e.target.value as ClScore)} data-testid="cl-score">
              {ClScore.options.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          </Labelled>
          <Labelled name="clMinMargin">
            <input type="number" min={0} max={1} step={0.05} value={clMinMargin} disabled={!uses('cl')} onChange={(e) => setClMinMargin(Number(e.target.value))} data-testid="cl-min-margin" />
          </Labelled>
          <Labelled name="clPositives">
            <select value={clPositives} disabled={!uses('cl')} onChange={(e) => setClPositives(ClPositives.parse(e.target.value))} data-testid="cl-positives">
              {ClPositives.options.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          </Labelled>
        </div>
      </div>
      {error && <p className="error" role="alert" data-testid="rank-error">{error}</p>}
      <div className="actions">
        <p id="rank-blocked" className="actions-reason" role="status" data-testid="rank-blocked">
          {blocked ?? (from ? `Starting from run #${previous!.id}'s parameters.` : '')}
        </p>
        <button type="button" className="ghost" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" disabled={!canStart} aria-describedby="rank-blocked" onClick={start} data-testid="rank-start">
          Start ranking
        </button>
      </div>
    </Dialog>
  );
}
