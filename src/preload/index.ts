import { contextBridge, ipcRenderer } from 'electron';
import type { WinnowBridge } from '../shared/contract';

/** Exposes only a typed invoke/on pair; the renderer never touches ipcRenderer itself. */
const bridge: WinnowBridge = {
  invoke: (channel, input) => ipcRenderer.invoke(`winnow:${channel}`, input),
  on: (event, listener) => {
    const wrapped = (_e: unknown, payload: unknown) => listener(payload as never);
    ipcRenderer.on(`winnow:event:${event}`, wrapped);
    return () => ipcRenderer.removeListener(`winnow:event:${event}`, wrapped);
  },
};

contextBridge.exposeInMainWorld('winnow', bridge);
