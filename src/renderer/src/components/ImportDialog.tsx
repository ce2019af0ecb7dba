import { useState } from 'react';
import type { FileChoice } from '../../../shared/files';
import type { FileLabels } from '../../../shared/project';
import { call } from '../api/client';
import { isBrowserMode, uploadFile } from '../api/transport';
import { splitNameFromFile, withUserFileNames } from '../app/file-names';
import { formatCount } from '../app/format';
import type { StartJob } from '../app/useJobs';
import { Dialog } from './Dialog';

interface Props {
  existingSplits: string[];
  /** The project has no examples yet: this import chooses its negative label. */
  firstImport: boolean;
  onClose: () => void;
  onStarted: StartJob;
}

/** Choose a TACRED JSON / JSON Lines file and a split name; the import runs as a job. */
export function ImportDialog({ existingSplits, firstImport, onClose, onStarted }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const [nativeFile, setNativeFile] = useState<FileChoice | null>(null);
  // First import: the file goes up (browser mode) as soon as it is chosen, to list its labels.
  const [uploaded, setUploaded] = useState<FileChoice | null>(null);
  const [fileLabels, setFileLabels] = useState<FileLabels | null>(null);
  const [negativeLabel, setNegativeLabel] = useState('');
  const [split, setSplit] = useState(['train', 'dev', 'test'].find((s) => !existingSplits.includes(s)) ?? 'extra');
  // The split is named after the file (test.json → "test") until the user types a name.
  const [splitTyped, setSplitTyped] = useState(false);
  const [format, setFormat] = useState<'auto' | 'json' | 'jsonl' | 'parquet'>('auto');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = isBrowserMode ? file?.name : nativeFile?.name;

  async function chosenFile(choice: FileChoice | null, picked: File | null) {
    const name = choice?.name ?? picked?.name;
    if (name && !splitTyped) setSplit(splitNameFromFile(name, existingSplits));
    setError(null);
    setFileLabels(null);
    setUploaded(null);
    if (!firstImport || (!choice && !picked)) return;
    try {
      const token = choice ?? (await uploadFile(picked!));
      if (!choice) setUploaded(token);
      const labels = await call('import:labels', { file: token.token, format });
      setFileLabels(labels);
      setNegativeLabel(labels.suggested ?? '');
    } catch (e) {
      // The server names its copy of an upload; the user knows the file by their own name.
      setError(withUserFileNames((e as Error).message));
    }
  }

  async function start() {
    setError(null);
    setBusy(true);
    try {
      const { token } = isBrowserMode ? (uploaded ?? (await uploadFile(file!))) : nativeFile!;
      const { jobId } = await call('import:start', { file: token, split, format, skipInvalid, negativeLabel: firstImport && negativeLabel ? negativeLabel : undefined });
      onStarted(jobId, `Import ${chosen} → ${split}`, { source: chosen });
      onClose();
    } catch (e) {
      setError(withUserFileNames((e as Error).message));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Import a split" onClose={onClose} testId="import-dialog">
      <p className="hint">TACRED JSON (an array of records) or JSON Lines. Every record needs id, relation, token, subj/obj start and end (0-based, inclusive) and subj/obj type; other fields are kept as they are.</p>
      <div className="form">
        <label className="field">
          <span>File</span>
          {isBrowserMode ? (
            <input data-testid="import-file" type="file" accept=".json,.jsonl,.ndjson,.parquet,application/json" onChange={(e) => {
              const picked = e.target.files?.[0] ?? null;
              setFile(picked);
              void chosenFile(null, picked);
            }} />
          ) : (
            <div className="row">
              <button type="button" onClick={async () => {
                const choice = (await call('dialog:openFile', { title: 'Import TACRED data', filters: [{ name: 'TACRED JSON', extensions: ['json', 'jsonl', 'ndjson', 'parquet'] }] })).file;
                setNativeFile(choice);
                void chosenFile(choice, null);
              }}>
                Choose file…
              </button>
              <span className="mono">{nativeFile?.name ?? 'No file chosen'}</span>
            </div>
          )}
        </label>
        <label className="field">
          <span>Split name</span>
          <input
            data-testid="import-split"
            value={split}
            onChange={(e) => {
              setSplit(e.target.value);
              setSplitTyped(true);
            }}
          />
          {existingSplits.includes(split) && <span className="field-error">A split named “{split}” already exists.</span>}
        </label>
        <label className="field">
          <span>Format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
            <option value="auto">Detect</option>
            <option value="json">JSON array</option>
            <option value="jsonl">JSON Lines</option>
            <option value="parquet">Parquet</option>
          </select>
        </label>
        {firstImport && fileLabels && (
          <label className="field" title="The label that means “no relation” (TACRED no_relation, SemEval Other, NYT-10 NA); IS and ES look for positives hidden among its examples">
            <span>Negative label of this project</span>
            <select data-testid="import-negative-label" value={negativeLabel} onChange={(e) => setNegativeLabel(e.target.value)}>
              {fileLabels.labels.map((l) => (
                <option key={l.name} value={l.name}>{l.name} ({formatCount(l.count)})</option>
              ))}
            </select>
          </label>
        )}
        <label className="check">
          <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
          Skip invalid records and write a report of them (otherwise the first bad record stops the import)
        </label>
      </div>
      {error && <p className="error" role="alert" data-testid="import-error">{error}</p>}
      <div className="actions">
        <button type="button" className="ghost" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" data-testid="import-start" disabled={!chosen || !split || existingSplits.includes(split) || busy} onClick={start}>
          Import
        </button>
      </div>
    </Dialog>
  );
}
