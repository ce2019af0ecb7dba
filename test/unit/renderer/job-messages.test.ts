import { describe, expect, it } from 'vitest';
import { finishedJobMessage } from '../../../src/renderer/src/app/job-messages';
import type { ExportResult } from '../../../src/shared/exporting';

const upload = '/data/winnow/uploads/59d1c0de-1111-4222-8333-944455556666-train.json';

function exportResult(outputs: ExportResult['outputs'], path = '/p/dev.json'): ExportResult {
  const written = { path: `${path}.x`, sha256: 'x', bytes: 1 };
  return {
    split: 'dev', mode: 'reviewed', apply: 'both', strategy: null, runId: null, decisionsOverride: false, dataset: 'dev', format: 'json', path, sha256: 'x', bytes: 1,
    count: 12345, before: 12345, eliminated: 0, relabelled: 0, resolve: 'adjudicated', unresolved: 0, changedByDecisions: null, labelsBefore: {}, labelsAfter: {}, manifest: written, decisionsCsv: { ...written, rows: 0 }, outputs,
  };
}

describe('what a finished job says', () => {
  it('counts with thousands separators and names the file as the user chose it', () => {
    const message = finishedJobMessage(
      { jobId: 'j', kind: 'import', status: 'done', result: { split: 'train', imported: 8000, rejected: 1234, reportPath: '/data/winnow/train.rejected.jsonl', sha256: 'x', negativeLabel: 'no_relation' } },
      { source: 'train.json' },
    );
    expect(message).toEqual({ kind: 'info', text: 'Imported 8,000 examples from train.json into “train”; 1,234 records rejected (report: train.rejected.jsonl)' });
  });

  it('never shows the server’s copy of an upload in an error', () => {
    const message = finishedJobMessage(
      { jobId: 'j', kind: 'import', status: 'failed', error: { code: 'INVALID_INPUT', message: `${upload}: record 3 id "x", field "obj_end": out of range` } },
      { label: 'Import train.json → train' },
    );
    expect(message).toEqual({ kind: 'error', text: 'Import train.json → train: train.json: record 3 id "x", field "obj_end": out of range' });
  });

  it('lists every output of an export for download in browser mode, and names the file on the desktop', () => {
    const outputs = [
      { role: 'data', name: 'dev.json', path: '/d/dev.json', downloadUrl: '/d/1' },
      { role: 'manifest', name: 'dev.manifest.json', path: '/d/dev.manifest.json', downloadUrl: '/d/2' },
      { role: 'decisions', name: 'dev.decisions.csv', path: '/d/dev.decisions.csv', downloadUrl: '/d/3' },
    ];
    const web = finishedJobMessage({ jobId: 'j', kind: 'export', status: 'done', result: exportResult(outputs) });
    expect(web.text).toBe('Exported 12,345 examples of “dev” (3 files)');
    expect(web.links?.map((l) => l.label)).toEqual(['dev.json', 'dev.manifest.json', 'dev.decisions.csv']);
    expect(web.downloads).toHaveLength(3);
    const desktop = finishedJobMessage({ jobId: 'j', kind: 'export', status: 'done', result: exportResult(outputs.map((o) => ({ ...o, downloadUrl: null })), '/home/me/dev.json') });
    expect(desktop).toMatchObject({ text: 'Exported 12,345 examples of “dev” to /home/me/dev.json', links: [] });
    expect(desktop.downloads).toBeUndefined();
  });
});
