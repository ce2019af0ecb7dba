import { useState } from 'react';
import type { FileChoice } from '../../../../shared/files';
import { call } from '../../api/client';
import { downloadOutputs } from '../../api/outputs';
import { isBrowserMode, uploadFile } from '../../api/transport';
import { Dialog } from '../Dialog';

interface Props {
  /** Which half the menu asked for; both are shown either way. */
  focus: 'import' | 'export';
  annotator: string;
  onClose: () => void;
  onMerged: () => void;
  toast: (kind: 'info' | 'error', text: string) => void;
}

/**
 * Import decisions… / Export decisions…: the decision log as copies of a project exchange it
 * (a file per annotator, by e-mail or a shared drive), merged idempotently.
 */
export function DecisionExchangeDialog({ focus, annotator, onClose, onMerged, toast }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const [nativeFile, setNativeFile] = useState<FileChoice | null>(null);
  const [onlyMine, setOnlyMine] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = isBrowserMode ? file?.name : nativeFile?.name;

  async function importLog() {
    setError(null);
    setBusy(true);
    try {
      const { token } = isBrowserMode ? await uploadFile(file!) : nativeFile!;
      const result = await call('decisions:import', { file: token });
      toast('info', `Merged ${result.imported.toLocaleString()} of ${result.records.toLocaleString()} records${result.annotators.length ? ` (${result.annotators.join(', ')})` : ''}${result.alreadyPresent ? `; ${result.alreadyPresent.toLocaleString()} were already here` : ''}`);
      onMerged();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function exportLog() {
    setError(null);
    setBusy(true);
    try {
      let destination: string | undefined;
      if (!isBrowserMode) {
        const picked = await call('dialog:saveFile', { title: 'Export decisions', defaultName: `${onlyMine ? annotator : 'all'}.decisions.jsonl` });
        if (!picked.file) return;
        destination = picked.file.token;
      }
      const result = await call('decisions:export', { annotator: onlyMine && annotator ? annotator : undefined, destination });
      toast('info', `Wrote ${result.records.toLocaleString()} decision records to ${result.path}`);
      downloadOutputs([result.output]);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const importPart = (
    <fieldset className="fieldset" key="import">
      <legend>Import decisions…</legend>
      <p className="hint">A log exported from another copy of this project. Records already here are skipped, so importing twice changes nothing; a log recorded on other data is refused.</p>
      {isBrowserMode ? (
        <input data-testid="decisions-import-file" type="file" accept=".jsonl,application/x-ndjson,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      ) : (
        <div className="row">
          <button type="button" onClick={async () => setNativeFile((await call('dialog:openFile', { title: 'Import decisions', filters: [{ name: 'Winnow decision log', extensions: ['jsonl'] }] })).file)}>
            Choose file…
          </button>
          <span className="mono">{nativeFile?.name ?? 'No file chosen'}</span>
        </div>
      )}
      <div className="actions">
        <button type="button" className={focus === 'import' ? 'primary' : ''} data-testid="decisions-import-start" disabled={!chosen || busy} onClick={() => void importLog()}>
          Merge
        </button>
      </div>
    </fieldset>
  );
  const exportPart = (
    <fieldset className="fieldset" key="export">
      <legend>Export decisions…</legend>
      <p className="hint">The log with every record's id, annotator and time (undos and redos included) and the dataset's fingerprint, for the coordinator or a teammate to import.</p>
      <label className="check">
        <input type="checkbox" data-testid="decisions-export-mine" checked={onlyMine} disabled={!annotator} onChange={(e) => setOnlyMine(e.target.checked)} />
        Only my decisions ({annotator || 'no annotator name set'})
      </label>
      <div className="actions">
        <button type="button" className={focus === 'export' ? 'primary' : ''} data-testid="decisions-export-start" disabled={busy} onClick={() => void exportLog()}>
          Export
        </button>
      </div>
    </fieldset>
  );
  return (
    <Dialog title="Decisions of the team" onClose={onClose} testId="decisions-dialog">
      <div className="form">{focus === 'import' ? [importPart, exportPart] : [exportPart, importPart]}</div>
      {error && <p className="error" role="alert" data-testid="decisions-error">{error}</p>}
      <div className="actions">
        <button type="button" className="ghost" onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
