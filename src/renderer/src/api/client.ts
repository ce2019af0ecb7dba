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
  if (!result.ok) {
    // Refused input names its channel first ("project:create: name: …"), which says nothing to
    // the person who typed the value: the page shows the field and the reason.
    const { code, message } = result.error;
    throw new ApiError(code, code === 'INVALID_INPUT' && message.startsWith(`${channel}: `) ? message.slice(channel.length + 2) : message);
  }
  return result.value;
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge.on(event, listener);
}
