import type { GuardApi } from '../../shared/ipc.js';

declare global {
  interface Window {
    /** Defined by the Electron preload (main/preload/preload.ts); absent in the browser mode. */
    readonly guard?: GuardApi;
  }
}
