// Stands in for Electron's main-process modules, because the Electron binary cannot run here: just
// enough of app, session, protocol, BrowserWindow, Tray, Menu, Notification, globalShortcut,
// nativeImage, shell and net for main/index.ts and main/app to run in plain Node. Each object
// records what was asked of it, for the tests to check. `app` is an EventEmitter that fires
// `ready` when the test says so, and models Electron's quit sequence: quit() emits before-quit,
// closes every window (a window whose `close` is prevented stops the quit), then emits will-quit,
// and the app exits unless a listener called preventDefault. IPC comes from ../ipc/fake-electron-ipc.ts.
import { EventEmitter } from 'node:events';
export { contextBridge, ipcMain, ipcRenderer } from '../ipc/fake-electron-ipc.js';

let readyResolve: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (readyResolve = resolve));
const preventable = () => {
  const event = { prevented: false, preventDefault: () => (event.prevented = true) };
  return event;
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  exited: number | undefined;
  badgeCount = 0;
  loginItem = { openAtLogin: false, wasOpenedAtLogin: false, args: [] as string[] };
  focusCalls: unknown[] = [];
  appUserModelId: string | undefined;
  private isReadyNow = false;
  requestSingleInstanceLock = () => true;
  getAppPath = () => '/nonexistent/app';
  getVersion = () => '0.0.0-test';
  enableSandbox = () => undefined;
  isReady = () => this.isReadyNow;
  whenReady = () => ready;
  setBadgeCount = (count: number) => {
    this.badgeCount = count;
    return true;
  };
  setAppUserModelId = (id: string) => (this.appUserModelId = id);
  getLoginItemSettings = () => ({ openAtLogin: this.loginItem.openAtLogin, wasOpenedAtLogin: this.loginItem.wasOpenedAtLogin });
  setLoginItemSettings = (settings: { openAtLogin?: boolean; args?: string[] }) => {
    this.loginItem.openAtLogin = settings.openAtLogin ?? false;
    this.loginItem.args = settings.args ?? [];
  };
  focus = (options?: unknown) => this.focusCalls.push(options);
  /** The test's "Electron is ready". */
  fireReady(): void {
    this.isReadyNow = true;
    readyResolve();
    this.emit('ready');
  }
  quit = () => {
    this.emit('before-quit', preventable());
    for (const window of BrowserWindow.getAllWindows()) if (!window.close()) return;
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (!willQuit.prevented) this.exited ??= 0;
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

class FakeWebContents extends EventEmitter {
  url = '';
  destroyed = false;
  crashed = false;
  sent: Array<{ channel: string; payload: unknown }> = [];
  getURL = () => this.url;
  isDestroyed = () => this.destroyed;
  isCrashed = () => this.crashed;
  send = (channel: string, payload: unknown) => this.sent.push({ channel, payload: structuredClone(payload) });
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  static focused: BrowserWindow | null = null;
  static getAllWindows = () => BrowserWindow.windows.filter((w) => !w.destroyed);
  static getFocusedWindow = () => BrowserWindow.focused;
  webContents = new FakeWebContents();
  /** Every window method the app called, in order (`setAlwaysOnTop:true:floating`, `showInactive`, …). */
  calls: string[] = [];
  visible = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.windows.push(this);
  }
  loadURL = (url: string) => {
    this.webContents.url = url;
    return Promise.resolve();
  };
  /** The test's "the page has painted". */
  paint(): void {
    this.emit('ready-to-show');
  }
  show = () => this.setVisible('show', true);
  showInactive = () => this.setVisible('showInactive', true);
  hide = () => this.setVisible('hide', false);
  isVisible = () => this.visible;
  isMinimized = () => false;
  isDestroyed = () => this.destroyed;
  restore = () => this.calls.push('restore');
  focus = () => {
    this.calls.push('focus');
    BrowserWindow.focused = this;
  };
  moveTop = () => this.calls.push('moveTop');
  setAlwaysOnTop = (flag: boolean, level?: string) => this.calls.push(`setAlwaysOnTop:${flag}:${level ?? ''}`);
  setVisibleOnAllWorkspaces = (flag: boolean, options?: { visibleOnFullScreen?: boolean }) =>
    this.calls.push(`setVisibleOnAllWorkspaces:${flag}:${options?.visibleOnFullScreen === true ? 'fullscreen' : ''}`);
  /** Like a click on the close button: `close` (preventable), then `closed`. Returns whether it closed. */
  close(): boolean {
    const event = preventable();
    this.emit('close', event);
    if (event.prevented) return false;
    this.destroyed = true;
    this.webContents.destroyed = true;
    if (BrowserWindow.focused === this) BrowserWindow.focused = null;
    this.emit('closed');
    return true;
  }
  private setVisible(call: string, visible: boolean): void {
    this.calls.push(call);
    const was = this.visible;
    this.visible = visible;
    if (was && !visible) this.emit('hide');
    if (!was && visible) this.emit('show');
  }
}

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  tooltip = '';
  title = '';
  menu: { items: MenuItemTemplate[] } | undefined;
  destroyed = false;
  constructor(readonly image: FakeNativeImage) {
    super();
    Tray.instances.push(this);
  }
  setToolTip = (text: string) => (this.tooltip = text);
  setTitle = (text: string) => (this.title = text);
  setContextMenu = (menu: { items: MenuItemTemplate[] }) => (this.menu = menu);
  isDestroyed = () => this.destroyed;
  destroy = () => (this.destroyed = true);
  /** The menu item with this label (throws when there is none, so a test cannot pass on a missing item). */
  item(label: string): MenuItemTemplate {
    const found = this.menu?.items.find((i) => i.label === label);
    if (!found) throw new Error(`the tray menu has no "${label}": ${this.menu?.items.map((i) => i.label ?? '—').join(', ')}`);
    return found;
  }
}

export interface MenuItemTemplate {
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: (item: { checked: boolean }) => void;
}
export const Menu = { buildFromTemplate: (items: MenuItemTemplate[]) => ({ items }) };

export class Notification extends EventEmitter {
  static supported = true;
  static all: Notification[] = [];
  static isSupported = () => Notification.supported;
  shown = false;
  closed = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
    Notification.all.push(this);
  }
  show = () => (this.shown = true);
  close = () => {
    this.closed = true;
    this.emit('close');
  };
}

export const globalShortcut = {
  registered: new Map<string, () => void>(),
  /** Accelerators another app holds: register() returns false for them, as Electron does. */
  taken: new Set<string>(),
  register(accelerator: string, callback: () => void): boolean {
    if (this.taken.has(accelerator) || this.registered.has(accelerator)) return false;
    this.registered.set(accelerator, callback);
    return true;
  },
  unregister(accelerator: string): void {
    this.registered.delete(accelerator);
  },
};

class FakeNativeImage {
  representations: Array<{ scaleFactor: number; dataURL: string }> = [];
  template = false;
  addRepresentation = (r: { scaleFactor: number; dataURL: string }) => this.representations.push(r);
  setTemplateImage = (on: boolean) => (this.template = on);
}
export const nativeImage = { createEmpty: () => new FakeNativeImage() };
