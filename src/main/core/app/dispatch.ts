import { contract, isChannel, type Handlers, type Result } from '../../../shared/contract';
import { errorInfo } from '../errors/error-info';
import { retryWhileBusy } from '../store/busy-retry';

/**
 * The single entry for every call from a renderer, whatever the transport: validates the
 * input against the contract, runs the handler, validates the output, and returns errors as
 * values.
 */
export async function dispatch(handlers: Handlers, channel: string, rawInput: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown channel "${channel}"` } };
  const spec = contract[channel];
  const input = spec.input.safeParse(rawInput ?? {});
  if (!input.success) {
    const issue = input.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : '(input)';
    return { ok: false, error: { code: 'INVALID_INPUT', message: `${channel}: ${field}: ${issue?.message ?? 'invalid input'}` } };
  }
  const unknown = unknownField(rawInput ?? {}, input.data);
  if (unknown !== null) {
    // A field the channel does not have (an `outPath`, a `path`) is refused, not dropped: the
    // caller meant something this channel will not do.
    return { ok: false, error: { code: 'INVALID_INPUT', message: `${channel}: ${unknown}: not a field of this channel` } };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    // The app's connection never waits for SQLite's lock inside the event loop: a call that
    // finds it taken (a job's batch) is tried again shortly, asynchronously.
    const value = await retryWhileBusy(() => handler(input.data));
    const output = spec.output.safeParse(value);
    if (!output.success) {
      return { ok: false, error: { code: 'INTERNAL', message: `${channel}: handler returned an invalid value: ${output.error.message}` } };
    }
    return { ok: true, value: output.data };
  } catch (error) {
    return { ok: false, error: errorInfo(error) };
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first field of `raw` that validation dropped (zod strips what a schema does not name). */
function unknownField(raw: unknown, parsed: unknown, at = ''): string | null {
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return null;
  for (const [key, value] of Object.entries(raw)) {
    const where = at ? `${at}.${key}` : key;
    if (!(key in parsed)) return where;
    const nested = unknownField(value, parsed[key], where);
    if (nested !== null) return nested;
  }
  return null;
}
