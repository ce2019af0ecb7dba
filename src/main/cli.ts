import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { WinnowError } from '../shared/errors';
import { appRoot, defaultDataDir } from './core/app/paths';
import { exportSplit } from './core/io/export-split';
import { importSplit } from './core/io/import-split';
import { openDatabase } from './core/store/database';
import { projectSummary } from './core/store/project-summary';
import { serve } from './core/server/serve';
import packageJson from '../../package.json';

/** `winnow`: the command-line face of the same core the app uses. */

function progressLine(label: string) {
  if (!process.stderr.isTTY) return undefined;
  return ({ done, total, phase }: { done: number; total: number; phase: string }) => {
    const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
    process.stderr.write(`\r${label}: ${phase} ${pct}%   `);
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is an integer 0-65535');
  return port;
}

const program = new Command('winnow')
  .description('Find and fix label noise in TACRED-style relation-classification datasets')
  .version(packageJson.version)
  .showHelpAfterError();

program
  .command('import')
  .description('import a TACRED JSON / JSON Lines file as a split (creates the project if missing)')
  .argument('<project>', 'project file (.winnow)')
  .argument('<file>', 'TACRED-format file')
  .requiredOption('--split <name>', 'split name, e.g. train, dev, test')
  .addOption(new Option('--format <format>', 'input format').choices(['json', 'jsonl', 'auto']).default('auto'))
  .option('--skip-invalid', 'import valid records and write rejected ones to a report', false)
  .option('--report <file>', 'where the rejection report goes (with --skip-invalid)')
  .option('--json', 'print the result as JSON', false)
  .action(async (project: string, file: string, opts: { split: string; format: 'json' | 'jsonl' | 'auto'; skipInvalid: boolean; report?: string; json: boolean }) => {
    const creating = !fs.existsSync(project);
    if (creating && !project.endsWith('.winnow')) throw new WinnowError('INVALID_INPUT', `Project files end in .winnow: ${project}`);
    const db = openDatabase(project, { create: true });
    let ok = false;
    try {
      const result = await importSplit(db, {
        filePath: file,
        split: opts.split,
        format: opts.format,
        skipInvalid: opts.skipInvalid,
        reportPath: opts.report,
        onProgress: progressLine(`import ${opts.split}`),
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (opts.json) console.log(JSON.stringify(result));
      else {
        console.log(`Imported ${result.imported} examples into split "${result.split}" of ${project}`);
        if (result.rejected) console.log(`Rejected ${result.rejected} records; see ${result.reportPath}`);
      }
      ok = true;
    } finally {
      db.close();
      // A project created for an import that failed would be an empty leftover.
      if (!ok && creating) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(project + suffix, { force: true });
    }
  });

program
  .command('export')
  .description('write a split back out as TACRED JSON or JSON Lines')
  .argument('<project>', 'project file (.winnow)')
  .requiredOption('--split <name>', 'split to export')
  .requiredOption('--out <file>', 'output file')
  .addOption(new Option('--format <format>', 'output format').choices(['json', 'jsonl']).default('json'))
  .option('--json', 'print the result as JSON', false)
  .action(async (project: string, opts: { split: string; out: string; format: 'json' | 'jsonl'; json: boolean }) => {
    const db = openDatabase(project);
    try {
      const result = await exportSplit(db, { split: opts.split, outPath: opts.out, format: opts.format, onProgress: progressLine(`export ${opts.split}`) });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (opts.json) console.log(JSON.stringify(result));
      else console.log(`Wrote ${result.count} examples of "${result.split}" to ${result.path} (sha256 ${result.sha256})`);
    } finally {
      db.close();
    }
  });

program
  .command('info')
  .description('splits and label counts of a project')
  .argument('<project>', 'project file (.winnow)')
  .option('--json', 'print as JSON', false)
  .action((project: string, opts: { json: boolean }) => {
    const db = openDatabase(project);
    try {
      const summary = projectSummary(db, path.resolve(project));
      if (opts.json) {
        const splits = summary.splits.map((split) => ({
          name: split.name,
          count: split.count,
          format: split.format,
          source: split.sourcePath,
          sha256: split.sourceSha256,
          labels: Object.fromEntries(summary.labelCounts.filter((c) => c.split === split.name).map((c) => [c.label, c.count])),
        }));
        console.log(JSON.stringify({ path: summary.path, schemaVersion: summary.schemaVersion, negativeLabel: summary.negativeLabel, examples: summary.exampleCount, decisions: summary.decisionCount, splits }, null, 2));
        return;
      }
      console.log(`${summary.path}: ${summary.exampleCount} examples, ${summary.decisionCount} decisions`);
      for (const split of summary.splits) {
        console.log(`  ${split.name}: ${split.count} examples`);
        for (const count of summary.labelCounts.filter((c) => c.split === split.name)) console.log(`    ${count.label}\t${count.count}`);
      }
    } finally {
      db.close();
    }
  });

program
  .command('serve')
  .description('open the studio in a browser (binds 127.0.0.1; prints the URL with its access token)')
  .argument('[project]', 'project file to open (.winnow)')
  .option('--demo', 'open the demo project', false)
  .option('--port <port>', 'port (0 picks a free one)', parsePort, 0)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--allow-remote', 'allow binding a non-loopback address (exposes your data to the network)', false)
  .option('--data-dir <dir>', 'settings and demo folder', defaultDataDir())
  .action(async (project: string | undefined, opts: { demo: boolean; port: number; host: string; allowRemote: boolean; dataDir: string }) => {
    if (opts.allowRemote) console.error('winnow: warning: --allow-remote exposes this project to every machine that can reach this address');
    const handle = await serve({
      dataDir: path.resolve(opts.dataDir),
      appRoot: appRoot(import.meta.url),
      jobs: { mode: 'worker', workerUrl: new URL('./job-worker.js', import.meta.url) },
      projectPath: project,
      demo: opts.demo,
      host: opts.host,
      port: opts.port,
      allowRemote: opts.allowRemote,
      version: packageJson.version,
    });
    console.log(`Winnow is serving at ${handle.server.url}`);
    const stop = () => {
      void handle.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`winnow: ${message.split('\n')[0]}`);
  process.exit(1);
});
