import { useEffect, useState } from 'react';
import type { ProjectSummary } from '../../../shared/domain';
import { call } from '../api/client';
import { isBrowserMode } from '../api/transport';
import { Dialog } from './Dialog';

interface Props {
  onClose: () => void;
  onOpened: (summary: ProjectSummary) => void;
}

/** New or open a project file; recent ones first. */
export function ProjectDialog({ onClose, onOpened }: Props) {
  const [recent, setRecent] = useState<{ path: string; openedAt: string }[]>([]);
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('project:recent', {}).then(setRecent, () => setRecent([]));
  }, []);

  async function run(action: () => Promise<ProjectSummary>) {
    setError(null);
    try {
      onOpened(await action());
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function browse(kind: 'open' | 'create') {
    const chosen = kind === 'open'
      ? await call('dialog:openFile', { title: 'Open project', filters: [{ name: 'Winnow project', extensions: ['winnow'] }] })
      : await call('dialog:saveFile', { title: 'New project', defaultPath: 'project.winnow' });
    if (chosen.path) await run(() => call(kind === 'open' ? 'project:open' : 'project:create', { path: chosen.path! }));
  }

  return (
    <Dialog title="Projects" onClose={onClose} testId="project-dialog">
      {recent.length > 0 && (
        <ul className="recent">
          {recent.map((entry) => (
            <li key={entry.path}>
              <button type="button" className="link" onClick={() => run(() => call('project:open', { path: entry.path }))}>
                {entry.path}
              </button>
              <span className="muted">{new Date(entry.openedAt).toLocaleString()}</span>
            </li>
          ))}
        </ul>
      )}
      {isBrowserMode ? (
        <div className="form">
          <label className="field">
            <span>Project file on the server machine (.winnow)</span>
            <input data-testid="project-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/tacred.winnow" />
          </label>
          <div className="actions">
            <button type="button" disabled={!path} onClick={() => run(() => call('project:open', { path }))}>Open</button>
            <button type="button" className="primary" disabled={!path} onClick={() => run(() => call('project:create', { path }))}>Create</button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => browse('open')}>Open…</button>
          <button type="button" className="primary" onClick={() => browse('create')}>New…</button>
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <div className="actions">
        <button type="button" className="ghost" onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
