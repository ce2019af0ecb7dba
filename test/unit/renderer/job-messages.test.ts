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
  it('counts with thousands separators, names the file as the user chose it, and links the rejected records’ report in browser mode', () => {
    const imported = { split: 'train', imported: 8000, rejected: 1234, sha256: 'x', negativeLabel: 'no_relation' };
    const desktop = finishedJobMessage({ jobId: 'j', kind: 'import', status: 'done', result: { ...imported, reportPath: '/data/train.json.rejected.jsonl', reportDownloadUrl: null } }, { source: 'train.json' });
    expect(desktop).toEqual({ kind: 'info', text: 'Imported 8,000 examples from train.json into “train”; 1,234 records rejected (report: /data/train.json.rejected.jsonl)' });
    const web = finishedJobMessage({ jobId: 'j', kind: 'import', status: 'done', result: { ...imported, reportPath: '/srv/exports/p/train.json.rejected.jsonl', reportDownloadUrl: '/api/download/1' } }, { source: 'train.json' });
    expect(web).toEqual({
      kind: 'info',
      text: 'Imported 8,000 examples from train.json into “train”; 1,234 records rejected (report: train.json.rejected.jsonl, linked below)',
      links: [{ label: 'train.json.rejected.jsonl', href: '/api/download/1' }],
    });
  });

  it('never shows the server’s copy of an upload in an error, and says how to import past a bad record', () => {
    const failed = (code: string, message: string) => finishedJobMessage({ jobId: 'j', kind: 'import', status: 'failed', error: { code, message } }, { label: 'Import train.json → train' });
    expect(failed('INVALID_INPUT', `${upload}: bad option`)).toEqual({ kind: 'error', text: 'Import train.json → train: train.json: bad option' });
    expect(failed('INVALID_FILE', `${upload}: record 3 id "x", field "obj_end": out of range`)).toEqual({
      kind: 'error',
      text: 'Import train.json → train: train.json: record 3 id "x", field "obj_end": out of range. Nothing was imported; to import the valid records and get a report of the others, import again with “Skip invalid records” ticked.',
    });
    // Not about one record (the file itself): no such hint.
    expect(failed('INVALID_FILE', `${upload}: no valid records (3 rejected)`).text).not.toContain('Skip invalid records');
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
