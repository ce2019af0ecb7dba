import type { OutputFile } from '../../../shared/files';

/** Browser mode: fetches every output that has a download URL, one after the other. */
export function downloadOutputs(outputs: readonly OutputFile[]): void {
  for (const output of outputs) {
    if (!output.downloadUrl) continue;
    const link = document.createElement('a');
    link.href = output.downloadUrl;
    link.download = output.name;
    link.click();
  }
}
