import type { Command } from 'commander';
import { z } from 'zod';
import { ReferenceName } from '../../../shared/names';
import { importReferenceSet, listReferenceSets } from '../../core/store/reference-sets';
import { openDatabase } from '../../core/store/database';
import { parseOptions, required } from '../shared-options';

/** `winnow reference import|list`: reference label sets (TACRev / Re-TACRED patches). */
export function registerReferenceCommands(program: Command): void {
  const reference = program.command('reference').description('reference label sets (TACRev / Re-TACRED patches)');
  reference
    .command('import')
    .description('import a TACRev-style [{id, relation}] or Re-TACRED-style {id: label} patch as a named reference')
    .argument('<project>', 'project file (.winnow)')
    .argument('<file>', 'patch file')
    .requiredOption('--name <name>', required('name of the reference set, e.g. tacrev'))
    .option('--allow-unknown', 'import even when some ids are not in the project or some labels are unknown to it', false)
    .option('--json', 'print as JSON', false)
    .action(async (project: string, file: string, opts: { name: string; allowUnknown: boolean; json: boolean }) => {
      const { name } = parseOptions(z.object({ name: ReferenceName }), { name: opts.name });
      const db = openDatabase(project);
      try {
        const set = await importReferenceSet(db, file, name, { allowUnknown: opts.allowUnknown });
        if (opts.json) console.log(JSON.stringify(set));
        else {
          const unknown = [set.count > set.matched ? `${set.count - set.matched} ids not in this project` : '', set.unknownLabels ? `${set.unknownLabels} unknown labels` : ''].filter(Boolean);
          console.log(`Imported reference "${set.name}" (${set.style} style): ${set.count} labels, ${set.matched} of them for examples in this project${unknown.length ? ` (${unknown.join(', ')})` : ''}`);
        }
      } finally {
        db.close();
      }
    });
  reference
    .command('list')
    .description('list the reference sets of a project')
    .argument('<project>', 'project file (.winnow)')
    .option('--json', 'print as JSON', false)
    .action((project: string, opts: { json: boolean }) => {
      const db = openDatabase(project);
      try {
        const sets = listReferenceSets(db);
        if (opts.json) console.log(JSON.stringify(sets, null, 2));
        else if (!sets.length) console.log(`${project} has no reference sets yet: import a patch with \`winnow reference import ${project} <file> --name <name>\``);
        else for (const set of sets) console.log(`${set.name}\t${set.style}\t${set.count} labels\t${set.matched} matched${set.unknownLabels ? `\t${set.unknownLabels} unknown labels` : ''}`);
      } finally {
        db.close();
      }
    });
}
