import type { PatchStyle } from '../io/reference-patch';
import type { StagedFile } from './staged-files';

/**
 * The changes of an export as a patch others can apply to their own licensed copy of TACRED:
 * relabels in TACRev style (`[{"id", "relation"}]`) or Re-TACRED style (`{id: label}`). Neither
 * style can say "remove this example", so eliminations go to a sidecar: a JSON array of ids.
 *
 * Same layout as `writeReferencePatch` (one entry a line, readable by `readReferencePatch`),
 * but written into staged files so the patch is renamed into place together with the data
 * and the manifest rather than on its own.
 */
export function patchFileNames(outPath: string, style: PatchStyle): { patch: string; eliminated: string } {
  return { patch: `${outPath}.${style}.json`, eliminated: `${outPath}.eliminated.json` };
}

export function patchEntry(style: PatchStyle, id: string, label: string): string {
  return style === 'tacrev' ? `{"id": ${JSON.stringify(id)}, "relation": ${JSON.stringify(label)}}` : `${JSON.stringify(id)}: ${JSON.stringify(label)}`;
}

/** Writes entries as they come, so a patch of a whole split never sits in one string. */
export class PatchWriter {
  private relabels = 0;
  private eliminations = 0;

  constructor(
    private readonly style: PatchStyle,
    private readonly patch: StagedFile,
    private readonly eliminated: StagedFile,
  ) {}

  async relabel(id: string, label: string): Promise<void> {
    await this.patch.write(`${this.relabels === 0 ? (this.style === 'tacrev' ? '[' : '{') : ','}\n${patchEntry(this.style, id, label)}`);
    this.relabels++;
  }

  async eliminate(id: string): Promise<void> {
    await this.eliminated.write(`${this.eliminations === 0 ? '[' : ','}\n${JSON.stringify(id)}`);
    this.eliminations++;
  }

  async finish(): Promise<{ relabels: number; eliminations: number }> {
    await this.patch.write(this.relabels === 0 ? (this.style === 'tacrev' ? '[]\n' : '{}\n') : this.style === 'tacrev' ? '\n]\n' : '\n}\n');
    await this.eliminated.write(this.eliminations === 0 ? '[]\n' : '\n]\n');
    return { relabels: this.relabels, eliminations: this.eliminations };
  }
}
