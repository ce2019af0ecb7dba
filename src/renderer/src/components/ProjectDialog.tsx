import { useEffect, useState } from 'react';
import type { ProjectSummary } from '../../../shared/domain';
import type { ChannelOutput } from '../../../shared/contract';
import { ApiError, call } from '../api/client';
import { baseName } from '../app/file-names';
import { isBrowserMode } from '../api/transport';
import { Dialog } from './Dialog';

interface Props {
  onClose: () => void;
  onOpened: (summary: ProjectSummary) => void;
}

/** New or open a project file; recent ones first. */
export function ProjectDialog({ onClose, onOpened }: Props) {
  const [recent, setRecent] = useState<ChannelOutput<'project:recent'>>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  // A name that is taken (a CONFLICT on create): the recent entry that opens that project, if any.
  const [taken, setTaken] = useState<string | null>(null);
  const existing = taken === null ? undefined : recent.find((r) => baseName(r.path) === `${taken}.winnow`);
  useEffect(() => {
    call('project:recent', {}).then(setRecent, () => setRecent([]));
  }, []);

  async function run(action: () => Promise<ProjectSummary>, creating: string | null = null) {
    setError(null);
    setTaken(null);
    try {
      onOpened(await action());
      onClose();
    } catch (e) {
      setError((e as Error).message);
      if (creating !== null && e instanceof ApiError && e.code === 'CONFLICT') setTaken(creating);
    }
  }

  async function browse(kind: 'open' | 'create') {
    const chosen = kind === 'open'
      ? await call('dialog:openFile', { title: 'Open project', purpose: 'project' })
      : await call('dialog:saveFile', { title: 'New project', defaultName: 'project.winnow', purpose: 'project' });
    const token = chosen.file?.token;
    if (token) await run(() => call(kind === 'open' ? 'project:open' : 'project:create', { token }));
  }

  return (
    <Dialog title="Projects" onClose={onClose} testId="project-dialog">
      {recent.length > 0 && (
        <ul className="recent">
          {recent.map((entry) => (
            <li key={entry.path}>
              <button type="button" className="link" onClick={() => run(() => call('project:open', { token: entry.token }))}>
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
            <span>New project name (kept in the server's data folder)</span>
            <input data-testid="project-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="tacred-cleaning" />
          </label>
          <div className="actions">
            <button type="button" className="primary" disabled={!name} onClick={() => run(() => call('project:create', { name }), name)} data-testid="project-create">Create</button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => browse('open')}>Open…</button>
          <button type="button" className="primary" onClick={() => browse('create')}>New…</button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
          {existing && (
            <>
              {' '}
              <button type="button" className="link" onClick={() => run(() => call('project:open', { token: existing.token }))} data-testid="project-open-existing">
                Open {taken}.winnow
              </button>
            </>
          )}
        </p>
      )}
      <div className="actions">
        <button type="button" className="ghost" onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
