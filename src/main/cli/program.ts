import { Command } from 'commander';
import { registerCompareCommand } from './commands/compare';
import { registerDecisionCommands } from './commands/decisions';
import { registerExportCommands } from './commands/exporting';
import { registerProjectCommands } from './commands/project';
import { registerQualityCommands } from './commands/quality';
import { registerRankingCommands } from './commands/ranking';
import { registerReferenceCommands } from './commands/references';
import { registerServeCommand } from './commands/serve';
import { registerTeamCommands } from './commands/team';
import { aboutWinnow, asksVersionJson } from '../core/app/about';
import { errorLine } from './errors';

/** The `winnow` program: one module per group of commands, all on the same core the app uses. */
export function buildProgram(version: string, entryUrl: string): Command {
  const program = new Command('winnow')
    .description('Find and fix label noise in TACRED-style relation-classification datasets')
    .version(version)
    // Errors are printed once, in one line, by runCli; not as commander's text plus the help.
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  registerProjectCommands(program);
  registerExportCommands(program, version);
  registerRankingCommands(program);
  registerQualityCommands(program);
  registerCompareCommand(program);
  registerReferenceCommands(program);
  registerDecisionCommands(program, version);
  registerTeamCommands(program);
  registerServeCommand(program, version, entryUrl);
  return program;
}

export async function runCli(argv: string[], version: string, entryUrl: string): Promise<void> {
  // `winnow flags … | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = buildProgram(version, entryUrl);
  try {
    // `winnow --version --json`: the About record (commander alone would print the bare version).
    if (asksVersionJson(argv.slice(2), { only: true })) console.log(JSON.stringify(await aboutWinnow({ version }), null, 2));
    else await program.parseAsync(argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // --help and --version exit through the override too; they are not errors.
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0);
    console.error(`winnow: ${errorLine(error, argv)}`);
    process.exit(1);
  }
}
