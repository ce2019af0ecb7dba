import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { optionErrorFromZod } from '../../shared/errors';
import { defaultDataDir } from '../core/app/paths';
import { SettingsStore } from '../core/app/settings-store';

/** Marks a required option in `--help`, which commander does not. */
export const required = (description: string) => `${description} (required)`;

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number, not "${value}"`);
  return n;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is an integer 0-65535');
  return port;
}

/** Validates flags with the schema the app uses for the same options; errors name the flag. */
export function parseOptions<S extends z.ZodType>(schema: S, values: z.input<S>): z.output<S> {
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw optionErrorFromZod(parsed.error);
  return parsed.data;
}

export function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function annotatorName(explicit: string | undefined, dataDir = defaultDataDir()): string {
  return explicit ?? new SettingsStore(dataDir).get().annotator;
}
