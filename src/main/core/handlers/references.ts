import type { Handlers } from '../../../shared/contract';
import { importReferenceSet, listReferenceSets } from '../store/reference-sets';
import type { CoreContext } from './context';

/** Reference label sets (TACRev / Re-TACRED patches) a run can be evaluated against or trust. */
export function referenceHandlers(ctx: CoreContext): Pick<Handlers, 'reference:import' | 'reference:list'> {
  return {
    'reference:import': async ({ file, name, allowUnknown }) => {
      const set = await importReferenceSet(ctx.requireProject().db, ctx.platform.capabilities.resolve(file, 'read-file'), name, { allowUnknown });
      ctx.noteWrite();
      return set;
    },
    'reference:list': () => listReferenceSets(ctx.requireProject().db),
  };
}
