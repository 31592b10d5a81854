// Stands in for Electron's main-process modules, because the Electron binary cannot run here: just
// enough of app, session, protocol, BrowserWindow, shell and net for main/index.ts to run its boot
// list in plain Node. `app` is an EventEmitter that fires `ready` when the test says so, and
// models Electron's quit sequence: quit() emits will-quit, and the app exits unless a listener
// called preventDefault. IPC comes from ./../ipc/fake-electron-ipc.ts.
import { EventEmitter } from 'node:events';
export { contextBridge, ipcMain, ipcRenderer } from '../ipc/fake-electron-ipc.js';

let readyResolve: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (readyResolve = resolve));

class FakeApp extends EventEmitter {
  isPackaged = false;
  exited: number | undefined;
  private isReadyNow = false;
  requestSingleInstanceLock = () => true;
  getAppPath = () => '/nonexistent/app';
  getVersion = () => '0.0.0-test';
  enableSandbox = () => undefined;
  isReady = () => this.isReadyNow;
  whenReady = () => ready;
  /** The test's "Electron is ready". */
  fireReady(): void {
    this.isReadyNow = true;
    readyResolve();
    this.emit('ready');
  }
  quit = () => {
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exited ??= 0;
  };
  exit = (code = 0) => {
    this.exited = code;
  };
}

export const app = new FakeApp();

const fakeSession = {
  webRequest: { onHeadersReceived: () => undefined, onBeforeRequest: () => undefined },
  setPermissionRequestHandler: () => undefined,
  setPermissionCheckHandler: () => undefined,
  setDevicePermissionHandler: () => undefined,
  protocol: { handle: () => undefined },
};
export const session = { defaultSession: fakeSession };
export const protocol = { registerSchemesAsPrivileged: () => undefined, handle: () => undefined };
export const net = { fetch: () => Promise.reject(new Error('no network in the fake')) };
export const shell = { openExternal: () => Promise.resolve() };

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  static getAllWindows = () => BrowserWindow.windows;
  webContents = new EventEmitter();
  constructor(readonly options: unknown) {
    super();
    BrowserWindow.windows.push(this);
  }
  loadURL = () => Promise.resolve();
  show = () => undefined;
  isMinimized = () => false;
  restore = () => undefined;
  focus = () => undefined;
}
