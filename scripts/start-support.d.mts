// Types of start-support.mjs (plain JavaScript: `npm start` runs before anything is built).
import type { ChildProcess } from 'node:child_process';

export function installedElectron(packageDir: string): string | null;
export function downloadedElectron(packageDir: string, options?: { timeoutMs?: number }): { binary: string; reason?: undefined } | { binary?: undefined; reason: string };
export function watchedAncestors(): number[];
export function supervise(child: ChildProcess, options?: { pollMs?: number }): void;
export function hasDesktop(env?: NodeJS.ProcessEnv | Record<string, string | undefined>, platform?: NodeJS.Platform | string): boolean;
export function openBrowser(
  url: string,
  options?: { env?: NodeJS.ProcessEnv | Record<string, string | undefined>; platform?: NodeJS.Platform | string; log?: (line: string) => void },
): { command: string; page: string } | null;
export function startServe(options: { root: string; args: string[]; cli?: string; execArgv?: string[] }): ChildProcess;
