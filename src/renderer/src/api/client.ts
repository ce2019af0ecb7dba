import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload } from '../../../shared/contract';
import { bridge } from './transport';

/** A failed call, rebuilt on this side from the error value that crossed the boundary. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await bridge.invoke(channel, input);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge.on(event, listener);
}
