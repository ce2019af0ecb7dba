import { useState } from 'react';
import { call } from '../api/client';
import { isBrowserMode } from '../api/transport';
import { Dialog } from './Dialog';

interface Props {
  splits: string[];
  onClose: () => void;
  onStarted: (jobId: string, label: string) => void;
}

/** Writes a split back out; browser mode downloads the file when the job is done. */
export function ExportDialog({ splits, onClose, onStarted }: Props) {
  const [split, setSplit] = useState(splits[0] ?? '');
  const [format, setFormat] = useState<'json' | 'jsonl'>('json');
  const [error, setError] = useState<string | null>(null);

  async function start() {
    setError(null);
    try {
      let outPath: string | undefined;
      if (!isBrowserMode) {
        const chosen = await call('dialog:saveFile', { title: 'Export split', defaultPath: `${split}.${format}` });
        if (!chosen.path) return;
        outPath = chosen.path;
      }
      const { jobId } = await call('export:start', { split, format, outPath });
      onStarted(jobId, `Export ${split} (${format})`);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <Dialog title="Export a split" onClose={onClose} testId="export-dialog">
      <div className="form">
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
          <select data-testid="export-format" value={format} onChange={(e) => setFormat(e.target.value as 'json' | 'jsonl')}>
            <option value="json">TACRED JSON</option>
            <option value="jsonl">JSON Lines</option>
          </select>
        </label>
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
