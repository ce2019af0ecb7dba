import type { WinnowBridge } from '../shared/contract';

declare global {
  interface Window {
    /** Present in the Electron app; absent in browser mode, where HTTP carries the same contract. */
    winnow?: WinnowBridge;
  }
}
export {};
