import type { JobFinished } from '../../../shared/jobs';
import type { OutputFile } from '../../../shared/files';
import { baseName, withUserFileNames } from './file-names';
import { formatCount, plural } from './format';

export interface JobMessage {
  kind: 'info' | 'error';
  text: string;
  links?: { label: string; href: string }[];
  /** Browser mode: an export's outputs, fetched at once (the links let the user fetch them again). */
  downloads?: readonly OutputFile[];
}

/** What the page knew when it started the job: its label and the input file as the user named it. */
export interface StartedJobContext {
  label?: string | undefined;
  source?: string | undefined;
}

/**
 * What a finished job says to the user, with counts people read ("8,000") and files named as
 * the user named them (an upload's own name, never the server's copy of it).
 */
export function finishedJobMessage(finished: JobFinished, started: StartedJobContext = {}): JobMessage {
  const prefix = started.label ? `${started.label}: ` : '';
  if (finished.status !== 'done') {
    if (finished.status === 'cancelled') return { kind: 'info', text: `${prefix}cancelled; nothing was changed` };
    // A record that stops an import: say how to import the others instead.
    const oneRecord = finished.kind === 'import' && finished.error.code === 'INVALID_FILE' && /: (record|row) \d+/.test(finished.error.message);
    const hint = oneRecord ? '. Nothing was imported; to import the valid records and get a report of the others, import again with “Skip invalid records” ticked.' : '';
    return { kind: 'error', text: withUserFileNames(`${prefix}${finished.error.message}`) + hint };
  }
  switch (finished.kind) {
    case 'import': {
      const r = finished.result;
      // Browser mode: the report is a download (its folder is the server's); the desktop names where it is.
      const report = r.reportPath ? (r.reportDownloadUrl ? `report: ${baseName(r.reportPath)}, linked below` : `report: ${r.reportPath}`) : 'no report';
      const rejected = r.rejected ? `; ${plural(r.rejected, 'record')} rejected (${report})` : '';
      const links = r.reportPath && r.reportDownloadUrl ? [{ label: baseName(r.reportPath), href: r.reportDownloadUrl }] : undefined;
      return { kind: 'info', text: `Imported ${plural(r.imported, 'example')}${started.source ? ` from ${started.source}` : ''} into “${r.split}”${rejected}`, ...(links ? { links } : {}) };
    }
    case 'rank': {
      const r = finished.result;
      const q = r.quality;
      const quality = q ? `. Model against the given labels: micro-F1 ${q.microF1.toFixed(3)}, macro-F1 ${q.macroF1.toFixed(3)}, ECE ${q.ece.toFixed(3)} (details in the report)` : '';
      return { kind: 'info', text: `Run ${r.runId} finished on ${r.provider}: ${plural(r.queue, 'example')} flagged${quality}` };
    }
    case 'compare': {
      const r = finished.result;
      return { kind: 'info', text: `Comparison ${r.id} finished: ${plural(r.variants.length, 'variant')} × ${plural(r.seeds.length, 'seed')} in ${r.seconds} s` };
    }
    case 'export': {
      const r = finished.result;
      // Browser mode: every output of the export (data, manifest, decisions CSV, patch) as a link.
      const links = r.outputs.filter((o) => o.downloadUrl).map((o) => ({ label: o.name, href: o.downloadUrl! }));
      return {
        kind: 'info',
        text:
          `Exported ${formatCount(r.count)} examples of “${r.split}”${links.length ? ` (${plural(links.length, 'file')})` : ` to ${r.path}`}` +
          (r.unresolved ? `; ${plural(r.unresolved, 'example')} the annotators disagree on left as imported (listed in the manifest)` : ''),
        links,
        ...(links.length ? { downloads: r.outputs } : {}),
      };
    }
    default: {
      const unknown: never = finished;
      return unknown;
    }
  }
}
