// The only file using contextBridge: exposes exactly the shared/ipc.ts contract as `window.guard`.
// Bundled to one CommonJS file (a sandboxed preload can neither be an ES module nor require zod).
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { createGuardApi } from '../../shared/ipc.js';

const guard = createGuardApi(
  (channel, args) => ipcRenderer.invoke(channel, ...args),
  (event, cb) => {
    // The renderer gets the payload only, never the Electron event (which carries `sender`).
    const listener = (_event: IpcRendererEvent, payload: unknown) => cb(payload);
    ipcRenderer.on(event, listener);
    return () => {
      ipcRenderer.removeListener(event, listener);
    };
  },
);

contextBridge.exposeInMainWorld('guard', guard);
