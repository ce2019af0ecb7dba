import packageJson from '../../package.json';
import { runCli } from './cli/program';

/** `winnow`: the command-line face of the same core the app uses. */
await runCli(process.argv, packageJson.version, import.meta.url);
