import { contract, isChannel, type Handlers, type Result } from '../../../shared/contract';
import { errorInfo } from '../errors/error-info';

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
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    const value = await handler(input.data);
    const output = spec.output.safeParse(value);
    if (!output.success) {
      return { ok: false, error: { code: 'INTERNAL', message: `${channel}: handler returned an invalid value: ${output.error.message}` } };
    }
    return { ok: true, value: output.data };
  } catch (error) {
    return { ok: false, error: errorInfo(error) };
  }
}
