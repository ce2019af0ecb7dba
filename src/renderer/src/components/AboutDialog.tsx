import { useEffect, useState, type ReactNode } from 'react';
import type { AboutInfo } from '../../../shared/about';
import type { ChannelOutput } from '../../../shared/contract';
import { call } from '../api/client';
import { Dialog } from './Dialog';
import '../styles/about.css';

type AppInfo = ChannelOutput<'app:info'>;

/** Help > About (the app menu on macOS; the `?` overlay in browser mode). Esc closes it. */
export function AboutDialog({ onClose }: { onClose: () => void }) {
  const [about, setAbout] = useState<AboutInfo | null>(null);
  const [app, setApp] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([call('app:about', {}), call('app:info', {})]).then(
      ([aboutInfo, appInfo]) => {
        setAbout(aboutInfo);
        setApp(appInfo);
      },
      (e: Error) => setError(e.message),
    );
  }, []);

  const ort = about?.onnxRuntime;
  const rows: [string, ReactNode, string][] = about
    ? [
        ['Version', about.version, 'about-version'],
        ['Commit', about.commit, 'about-commit'],
        ['Electron', about.runtime.electron ? `${about.runtime.electron} (Chromium ${about.runtime.chrome ?? '?'})` : `not used (${app?.mode === 'browser' ? 'browser mode' : 'command line'})`, 'about-electron'],
        ['Node', about.runtime.node, 'about-node'],
        ['ONNX Runtime', ort!.version, 'about-ort'],
        ['Execution providers', `${ort!.available.join(', ')} available; rankings try ${ort!.order.join(' then ')}`, 'about-providers'],
        [
          'Last used',
          ort!.lastUsed ? `${ort!.lastUsed.provider} (run ${ort!.lastUsed.run}, ${new Date(ort!.lastUsed.at).toLocaleString()})` : about.project ? 'none: this project has no run yet' : 'none: no project is open',
          'about-last-provider',
        ],
        ['Project schema', about.project ? `version ${about.project.schemaVersion} (this build writes ${about.schemaVersion})` : `no project open (this build writes version ${about.schemaVersion})`, 'about-schema'],
        ['Platform', `${about.runtime.platform} ${about.runtime.arch}${app ? ` · ${app.mode === 'browser' ? 'browser mode' : 'desktop app'}` : ''}`, 'about-platform'],
        ...(ort!.notTried.length
          ? ([
              [
                'Not tried',
                <ul className="about-skipped">
                  {ort!.notTried.map((s) => (
                    <li key={s.provider}>
                      {s.provider}: {s.reason}
                    </li>
                  ))}
                </ul>,
                'about-not-tried',
              ],
            ] satisfies [string, ReactNode, string][])
          : []),
      ]
    : [];

  return (
    <Dialog title="About Winnow" onClose={onClose} testId="about-dialog">
      <div className="about-head">
        <img src="favicon.svg" alt="" width={56} height={56} />
        <div>
          <div className="about-name">Winnow {about?.version ?? ''}</div>
          <div className="hint">Find and fix label noise in relation-classification datasets.</div>
        </div>
      </div>
      {error && <p className="error">{error}</p>}
      {!about && !error && <p className="muted">Loading…</p>}
      {about && (
        <table className="about-table">
          <tbody>
            {rows.map(([name, value, testId]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td data-testid={testId}>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
