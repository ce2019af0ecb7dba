import { isBrowserMode } from '../api/transport';

/** No project open: what to do. */
export function NoProjectScreen({ onProject, onDemo }: { onProject: () => void; onDemo: () => void }) {
  return (
    <div className="empty" data-testid="no-project">
      <h1>No project open</h1>
      <p>A project is one file (.winnow) that holds your splits, rankings and decisions.</p>
      <div className="empty-actions">
        <button type="button" className="primary" onClick={onProject}>Open or create a project</button>
        <button type="button" onClick={onDemo} data-testid="open-demo">Try the demo project</button>
      </div>
    </div>
  );
}

/** A project without examples: how to fill it. */
export function EmptyProjectScreen({ name, onImport, onDemo }: { name: string; onImport: () => void; onDemo: () => void }) {
  return (
    <div className="empty" data-testid="empty-project">
      <h1>“{name}” has no examples yet</h1>
      <ol className="steps">
        <li>
          <strong>Import a split</strong>: a TACRED JSON file (an array of records) or JSON Lines, one file per split (train, dev, test).
          {isBrowserMode ? ' The file is uploaded to the local server.' : ''}
        </li>
        <li>
          <strong>Rank</strong> it: the built-in model trains on your data and five strategies flag the examples most likely mislabelled.
        </li>
        <li>
          <strong>Triage</strong> the queue with the keyboard (k keep, e eliminate, a accept, r relabel), then <strong>export</strong> the cleaned splits.
        </li>
      </ol>
      <div className="empty-actions">
        <button type="button" className="primary" onClick={onImport} data-testid="empty-import">Import a split…</button>
        <button type="button" onClick={onDemo} data-testid="open-demo">Open the demo project instead</button>
      </div>
    </div>
  );
}
