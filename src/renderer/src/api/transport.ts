import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload, Result, WinnowBridge } from '../../../shared/contract';
import type { FileChoice } from '../../../shared/files';

/**
 * Browser mode: the same contract over HTTP. The token cookie set when the page was opened
 * authenticates every call; events arrive over server-sent events.
 */
function httpBridge(): WinnowBridge {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;
  const ensureSource = (event: EventName) => {
    source ??= new EventSource('/api/events');
    if (!listeners.has(event)) {
      listeners.set(event, new Set());
      source.addEventListener(event, (message) => {
        const payload = JSON.parse((message as MessageEvent<string>).data) as unknown;
        for (const listener of listeners.get(event) ?? []) listener(payload);
      });
    }
    return listeners.get(event)!;
  };
  return {
    async invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
      const response = await fetch(`/api/call/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
      if (response.status === 401 || response.status === 403) {
        return { ok: false, error: { code: 'FORBIDDEN', message: await response.text() } };
      }
      return (await response.json()) as Result<ChannelOutput<C>>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = ensureSource(event);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}

export const isBrowserMode = typeof window !== 'undefined' && !window.winnow;
export const bridge: WinnowBridge = window.winnow ?? httpBridge();

/**
 * Browser mode only: sends a local file to the server, which answers with a token for it (the
 * page never learns where the server keeps it). `folder` gathers several files in one upload
 * folder (a model package): 'new' starts one, a token adds to it.
 */
export async function uploadFile(file: File, folder?: string): Promise<FileChoice> {
  const query = `name=${encodeURIComponent(file.name)}${folder ? `&folder=${encodeURIComponent(folder)}` : ''}`;
  const response = await fetch(`/api/upload?${query}`, { method: 'POST', body: file, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`Upload of ${file.name} failed: ${await response.text()}`);
  return (await response.json()) as FileChoice;
}

/** Browser mode only: uploads a model package's files into one folder and returns its token. */
export async function uploadFolder(files: readonly File[]): Promise<FileChoice> {
  let folder: FileChoice | null = null;
  for (const file of files) folder = await uploadFile(file, folder?.token ?? 'new');
  if (!folder) throw new Error('Choose the files of the model package (model.onnx, tokenizer.json, winnow-model.json)');
  return folder;
}
